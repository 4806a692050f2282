import Foundation

/// What a day's page shows, read from the files of the day's folder and
/// nothing else: the manifest (the run's status) and the reports' JSON (the
/// sections). Numbers stay the text the engine wrote into the JSON, which is
/// the CSV's text, so a page can never disagree with a file.
struct DayPageModel {
    struct ReportStatus {
        let name: String
        let succeeded: Bool
        let error: String?
    }

    let date: String
    let zone: String
    let generatedAt: String
    let engineVersion: String
    let exitStatus: Int64
    /// Failed reports first, then the rest in the manifest's order.
    let reports: [ReportStatus]
    let sections: DaySections
    /// The headline of the day before, from its manifest beside this day's folder.
    let previousHeadline: [String: JSONValue]
    /// Reports whose numbers changed from the folder this night replaced.
    let restated: [(report: String, rows: String)]

    /// Reads the day in `folder`; `sections` when the caller has read them
    /// already (the nightly run, for the manifest's headline).
    init(folder: String, sections: DaySections? = nil) throws(EngineError) {
        let file = folder + "/manifest.json"
        let manifest = try ReportJSONFile(path: file).members
        date = try manifest.text("date", in: file)
        zone = try manifest.text("tz", in: file)
        generatedAt = try manifest.text("finished_at", in: file)
        engineVersion = try manifest.text("engine_version", in: file)
        exitStatus = try manifest.integer("exit_status", in: file)
        guard let reportList = manifest["reports"] as? [[String: Any]] else { throw .badInput("\(file): \"reports\" is not a list") }
        var statuses: [ReportStatus] = []
        for report in reportList {
            statuses.append(ReportStatus(name: try report.text("name", in: file), succeeded: report.optionalText("status") == "ok",
                                         error: report.optionalText("error")))
        }
        reports = statuses.filter { !$0.succeeded } + statuses.filter(\.succeeded)
        restated = (manifest["restated"] as? [[String: Any]] ?? []).map { entry in
            let files = entry["files"] as? [[String: Any]] ?? []
            let rows = files.map { file in "\(file["name"] as? String ?? "?"): \((file["previous_rows"] as? NSNumber)?.stringValue ?? "?") → \((file["rows"] as? NSNumber)?.stringValue ?? "?") rows" }
            return (entry["report"] as? String ?? "?", rows.joined(separator: ", "))
        }
        previousHeadline = CivilDate(date).flatMap { DayManifest.dayBefore($0, beside: folder) }?.headlineValues ?? [:]
        if let sections {
            self.sections = sections
        } else {
            self.sections = try DaySections(folder: folder, written: Set(reports.filter(\.succeeded).map(\.name)))
        }
    }
}

import Foundation

/// The output folder's `index.html`: every day folder that has a
/// `manifest.json`, newest first, with its status and figures, and the
/// sessions and cost per day over the last 30 days listed.
struct IndexPage {
    struct Day {
        let date: String
        let exitStatus: Int64
        let headline: DaySections.Headline
    }

    let days: [Day]

    static let trendDays = 30

    /// Reads the days of `directory`: each day's figures from its manifest
    /// (`headline`, written by the nightly run), else from its files.
    init(directory: String) throws(EngineError) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var days: [Day] = []
        for name in names where CivilDate(name) != nil {
            let folder = directory + "/" + name
            let manifestPath = folder + "/manifest.json"
            guard FileManager.default.fileExists(atPath: manifestPath) else { continue }
            let manifest = try ReportJSONFile(path: manifestPath).members
            let exitStatus = try manifest.integer("exit_status", in: manifestPath)
            let headline: DaySections.Headline
            if let figures = manifest["headline"] as? [String: Any] {
                headline = DaySections.Headline(
                    sessionsStarted: (figures["sessions_started"] as? NSNumber)?.int64Value,
                    sessionsCompleted: (figures["sessions_completed"] as? NSNumber)?.int64Value,
                    totalCost: figures["total_cost"] as? String, tokens: (figures["total_tokens"] as? NSNumber)?.int64Value,
                    toolExecutions: (figures["tool_executions"] as? NSNumber)?.int64Value,
                    reconciliationStatus: figures["reconciliation_status"] as? String,
                    discrepancies: (figures["discrepancies"] as? NSNumber)?.int64Value)
            } else {
                headline = try DayPageModel(folder: folder).sections.headline
            }
            days.append(Day(date: name, exitStatus: exitStatus, headline: headline))
        }
        self.days = days.sorted { $0.date > $1.date }
    }

    var html: String {
        var body = "<h1>keen-reports: every day</h1>"
        body += "<p class=\"meta\">\(days.count) day\(days.count == 1 ? "" : "s"), newest first · keen-reports \(EngineVersion.current)</p>"
        guard !days.isEmpty else {
            return DayPage.document(title: "keen-reports", body: body + "<p class=\"empty\">No day has been written yet.</p>")
        }
        let trend = Array(days.prefix(Self.trendDays).reversed())
        let labels = trend.map { String($0.date.dropFirst(5)) }
        let sessions = SVGChart(title: "Sessions started per day, the last \(trend.count) days listed", kind: .lines, categories: labels,
                                series: [.init(name: "sessions started", values: trend.map { Double($0.headline.sessionsStarted ?? 0) })],
                                xAxis: "day (month-day)", yAxis: "sessions")
        let cost = SVGChart(title: "Session cost per day, the last \(trend.count) days listed", kind: .lines, categories: labels,
                            series: [.init(name: "total cost", values: trend.map { Double($0.headline.totalCost ?? "") ?? 0 })],
                            xAxis: "day (month-day)", yAxis: "cost (USD)")
        body += "<section><h2>The last \(trend.count) days</h2><figure>\(sessions.svg)</figure><figure>\(cost.svg)</figure></section>"
        body += "<section><h2>Days</h2><table><caption>Every day written</caption><thead><tr><th scope=\"col\">date</th>"
            + "<th scope=\"col\">status</th><th scope=\"col\" class=\"n\">exit status</th><th scope=\"col\" class=\"n\">sessions started</th>"
            + "<th scope=\"col\" class=\"n\">total cost (USD)</th><th scope=\"col\" class=\"n\">discrepancies</th></tr></thead><tbody>"
        for day in days {
            let status = day.exitStatus == 0 ? "ok" : day.exitStatus == 1 ? "discrepancies" : "failed"
            body += "<tr><td><a href=\"\(HTML.escape(day.date))/index.html\">\(HTML.escape(day.date))</a></td><td>\(status)</td>"
                + "<td class=\"n\">\(day.exitStatus)</td><td class=\"n\">\(day.headline.sessionsStarted.map(String.init) ?? "")</td>"
                + "<td class=\"n\">\(HTML.escape(day.headline.totalCost ?? ""))</td>"
                + "<td class=\"n\">\(day.headline.discrepancies.map(String.init) ?? "")</td></tr>"
        }
        body += "</tbody></table></section>"
        return DayPage.document(title: "keen-reports: every day", body: body)
    }
}

import Foundation

/// A night as delivery sees it, read back from its folder (the manifest is
/// the record), or, when the night failed before it wrote a folder, from the
/// failure itself.
public struct DeliveredDay: Sendable {
    public let date: CivilDate
    /// The day's folder; nil when the night wrote none.
    public let folder: String?
    public let exitStatus: ExitStatus
    /// Why the night failed before it wrote the day, when it did.
    public let failure: String?
    let headline: [(key: String, value: JSONValue)]
    let previousHeadline: [String: JSONValue]
    let failedReports: [(name: String, error: String)]
    let restated: [String]
    let discrepancies: Int64
    /// The night's exception register and closed months, when it kept them.
    let finance: RegisterFigures?
    /// File name → (rows, SHA-256) as the manifest lists them.
    let files: [String: (rows: Int64?, sha256: String)]

    public var event: DeliveryEvent? { DeliveryEvent(status: exitStatus) }

    /// `<folder>/manifest.json` and the previous day's headline beside it.
    public static func read(folder: String, date: CivilDate) throws(EngineError) -> DeliveredDay {
        guard FileManager.default.fileExists(atPath: folder + "/manifest.json") else {
            throw .badInput("\(folder) has no manifest.json: it is not a day the night wrote whole")
        }
        let manifest = try DayManifest(folder: folder)
        let status = ExitStatus(rawValue: Int32((manifest.members["exit_status"] as? NSNumber)?.intValue ?? 70)) ?? .engineFailure
        let headline = manifest.headline
        var discrepancies: Int64 = 0
        if case .integer(let count)? = manifest.headlineValues["discrepancies"] { discrepancies = count }
        return DeliveredDay(
            date: date, folder: folder, exitStatus: status, failure: nil, headline: headline,
            previousHeadline: DayManifest.dayBefore(date, beside: folder)?.headlineValues ?? [:],
            failedReports: manifest.reports.filter { $0["status"] as? String == "failed" }.map { ($0["name"] as? String ?? "?", $0["error"] as? String ?? "") },
            restated: (manifest.members["restated"] as? [[String: Any]] ?? []).compactMap { $0["report"] as? String },
            discrepancies: discrepancies, finance: (manifest.members["finance"] as? [String: Any]).flatMap(RegisterFigures.init),
            files: manifest.files)
    }

    /// A night that failed before it wrote the day.
    public static func failed(date: CivilDate, status: ExitStatus, failure: String) -> DeliveredDay {
        DeliveredDay(date: date, folder: nil, exitStatus: status, failure: failure, headline: [], previousHeadline: [:],
                     failedReports: [], restated: [], discrepancies: 0, finance: nil, files: [:])
    }

    /// The status as a subject says it: `clean`, `3 discrepancies`, `FAILED (exit 70)`, and RESTATED.
    var statusLine: String {
        let status = switch exitStatus {
        case .clean: "clean"
        case .discrepancies: discrepancies == 1 ? "1 discrepancy" : "\(discrepancies) discrepancies"
        default: "FAILED (exit \(exitStatus.rawValue))"
        }
        return restated.isEmpty ? status : status + ", RESTATED"
    }

    var statusName: String {
        switch exitStatus {
        case .clean: "clean"
        case .discrepancies: "discrepancies"
        default: "failed"
        }
    }

    var page: String? { folder.map { $0 + "/index.html" }.flatMap { FileManager.default.fileExists(atPath: $0) ? $0 : nil } }

    /// Checks every file against its manifest digest (`deliver` sends only an intact day).
    public func verifyFiles() throws(EngineError) {
        guard let folder else { return }
        for (name, file) in files.sorted(by: { $0.key < $1.key }) {
            let digest = try SHA256.hexDigest(ofFile: folder + "/" + name)
            guard digest == file.sha256 else {
                throw .badInput("\(folder)/\(name) does not match its manifest (SHA-256 \(digest.prefix(12))… against \(file.sha256.prefix(12))…): the day's folder is damaged; run nightly --date \(date) again")
            }
        }
    }
}

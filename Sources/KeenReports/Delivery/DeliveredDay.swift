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
    /// File name → (rows, SHA-256) as the manifest lists them.
    let files: [String: (rows: Int64?, sha256: String)]

    public var event: DeliveryEvent? { DeliveryEvent(status: exitStatus) }

    /// `<folder>/manifest.json` and the previous day's headline beside it.
    public static func read(folder: String, date: CivilDate) throws(EngineError) -> DeliveredDay {
        guard let manifest = try readJSON(folder + "/manifest.json") else {
            throw .badInput("\(folder) has no manifest.json: it is not a day the night wrote whole")
        }
        let previous = (try? readJSON((folder as NSString).deletingLastPathComponent + "/" + date.adding(days: -1).description + "/manifest.json")) ?? nil
        let status = ExitStatus(rawValue: Int32((manifest["exit_status"] as? NSNumber)?.intValue ?? 70)) ?? .engineFailure
        let reports = manifest["reports"] as? [[String: Any]] ?? []
        let headline = (manifest["headline"] as? [String: Any]).map(orderedHeadline) ?? []
        var files: [String: (rows: Int64?, sha256: String)] = [:]
        for file in manifest["files"] as? [[String: Any]] ?? [] {
            guard let name = file["name"] as? String, let digest = file["sha256"] as? String else { continue }
            files[name] = ((file["rows"] as? NSNumber)?.int64Value, digest)
        }
        return DeliveredDay(
            date: date, folder: folder, exitStatus: status, failure: nil, headline: headline,
            previousHeadline: Dictionary(uniqueKeysWithValues: ((previous?["headline"] as? [String: Any]).map(orderedHeadline) ?? []).map { ($0.key, $0.value) }),
            failedReports: reports.filter { $0["status"] as? String == "failed" }.map { ($0["name"] as? String ?? "?", $0["error"] as? String ?? "") },
            restated: (manifest["restated"] as? [[String: Any]] ?? []).compactMap { $0["report"] as? String },
            discrepancies: (manifest["headline"] as? [String: Any])?["discrepancies"].flatMap { ($0 as? NSNumber)?.int64Value } ?? 0,
            files: files)
    }

    /// A night that failed before it wrote the day.
    public static func failed(date: CivilDate, status: ExitStatus, failure: String) -> DeliveredDay {
        DeliveredDay(date: date, folder: nil, exitStatus: status, failure: failure, headline: [], previousHeadline: [:],
                     failedReports: [], restated: [], discrepancies: 0, files: [:])
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

    private static func readJSON(_ path: String) throws(EngineError) -> [String: Any]? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw .badInput("\(path) is not a JSON object")
        }
        return object
    }

    /// The manifest's headline in the order the page shows it.
    private static func orderedHeadline(_ object: [String: Any]) -> [(key: String, value: JSONValue)] {
        let order = ["sessions_started", "sessions_completed", "total_cost", "total_tokens", "tool_executions", "reconciliation_status", "discrepancies"]
        return object.keys.sorted { (order.firstIndex(of: $0) ?? order.count, $0) < (order.firstIndex(of: $1) ?? order.count, $1) }.map { key in
            let value = object[key]
            if let number = value as? NSNumber { return (key, .integer(number.int64Value)) }
            if let text = value as? String { return (key, .string(text)) }
            return (key, .null)
        }
    }
}

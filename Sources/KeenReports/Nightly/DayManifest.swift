import Foundation

/// A written day's `manifest.json`, for what reads a day back: delivery,
/// the restatement check, the day-over-day headline, `check`, the next
/// night's checkpoint. Read through `ReportJSONFile`, so a damaged one is
/// exit 65 naming the file.
struct DayManifest {
    let members: [String: Any]

    init(folder: String) throws(EngineError) {
        members = try ReportJSONFile(path: folder + "/manifest.json").members
    }

    /// The day's manifest when the folder has one that reads; nil otherwise.
    static func ifPresent(folder: String) -> DayManifest? {
        guard FileManager.default.fileExists(atPath: folder + "/manifest.json") else { return nil }
        return try? DayManifest(folder: folder)
    }

    /// The manifest of the day before `date`, beside `folder` in the output folder.
    static func dayBefore(_ date: CivilDate, beside folder: String) -> DayManifest? {
        ifPresent(folder: (folder as NSString).deletingLastPathComponent + "/" + date.adding(days: -1).description)
    }

    /// Each file listed, by name, with its data rows and SHA-256.
    var files: [String: (rows: Int64?, sha256: String)] {
        var files: [String: (rows: Int64?, sha256: String)] = [:]
        for file in members["files"] as? [[String: Any]] ?? [] {
            guard let name = file["name"] as? String, let digest = file["sha256"] as? String else { continue }
            files[name] = ((file["rows"] as? NSNumber)?.int64Value, digest)
        }
        return files
    }

    var reports: [[String: Any]] { members["reports"] as? [[String: Any]] ?? [] }

    /// The headline figures in the order the page shows them.
    var headline: [(key: String, value: JSONValue)] {
        guard let object = members["headline"] as? [String: Any] else { return [] }
        let order = ["sessions_started", "sessions_completed", "total_cost", "total_tokens", "tool_executions", "reconciliation_status", "discrepancies", "open_exceptions"]
        return object.keys.sorted { (order.firstIndex(of: $0) ?? order.count, $0) < (order.firstIndex(of: $1) ?? order.count, $1) }.map { key in
            switch object[key] {
            case let number as NSNumber: (key, .integer(number.int64Value))
            case let text as String: (key, .string(text))
            default: (key, .null)
            }
        }
    }

    /// The headline by name, for comparing a day with the one before.
    var headlineValues: [String: JSONValue] {
        Dictionary(headline.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
    }
}

import Foundation

/// A report whose numbers changed when a night replaced a day that already
/// had a folder (DELIVERY.md, "Restated days"): finance signed the old
/// numbers, so the change is said, not slipped in. A report is restated when
/// one of its CSV files is not byte-identical (by SHA-256) to the one it
/// replaces; a report new to the day, or one that failed, is not.
struct Restatement {
    struct File {
        let name: String
        let previousRows: Int64?
        let rows: Int64?
        let previousSHA256: String
        let sha256: String
    }

    let report: String
    let files: [File]
    let previousStartedAt: String

    /// The restated reports of `results` in `staging` against the day's
    /// current folder; none when the day is new.
    static func compare(_ results: [NightlyJobResult], staging: String, replacing folder: String) throws(EngineError) -> [Restatement] {
        guard let data = FileManager.default.contents(atPath: folder + "/manifest.json"),
              let manifest = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [] }
        var previous: [String: (rows: Int64?, sha256: String)] = [:]
        for file in manifest["files"] as? [[String: Any]] ?? [] {
            guard let name = file["name"] as? String, let digest = file["sha256"] as? String else { continue }
            previous[name] = ((file["rows"] as? NSNumber)?.int64Value, digest)
        }
        let startedAt = manifest["started_at"] as? String ?? ""
        var restated: [Restatement] = []
        for result in results where result.succeeded {
            var changed: [File] = []
            for file in result.files where file.name.hasSuffix(".csv") {
                guard let old = previous[file.name] else { continue }
                let digest = try SHA256.hexDigest(ofFile: staging + "/" + file.name)
                if digest != old.sha256 {
                    changed.append(File(name: file.name, previousRows: old.rows, rows: file.rows, previousSHA256: old.sha256, sha256: digest))
                }
            }
            if !changed.isEmpty { restated.append(Restatement(report: result.name, files: changed, previousStartedAt: startedAt)) }
        }
        return restated
    }

    var json: JSONValue {
        .object([
            ("report", .string(report)),
            ("files", .array(files.map { file in
                .object([("name", .string(file.name)), ("previous_rows", file.previousRows.map(JSONValue.integer) ?? .null),
                         ("rows", file.rows.map(JSONValue.integer) ?? .null), ("previous_sha256", .string(file.previousSHA256)),
                         ("sha256", .string(file.sha256))])
            })),
            ("previous_started_at", .string(previousStartedAt)),
        ])
    }
}

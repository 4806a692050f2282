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

    /// The restated reports of `results` (their files' new `digests`)
    /// against the day's current folder; none when the day is new.
    static func compare(_ results: [NightlyJobResult], digests: [String: String], replacing folder: String) -> [Restatement] {
        guard let manifest = DayManifest.ifPresent(folder: folder) else { return [] }
        let previous = manifest.files
        let startedAt = manifest.members["started_at"] as? String ?? ""
        var restated: [Restatement] = []
        for result in results where result.succeeded {
            var changed: [File] = []
            for file in result.files where file.name.hasSuffix(".csv") {
                guard let old = previous[file.name], let digest = digests[file.name], digest != old.sha256 else { continue }
                changed.append(File(name: file.name, previousRows: old.rows, rows: file.rows, previousSHA256: old.sha256, sha256: digest))
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

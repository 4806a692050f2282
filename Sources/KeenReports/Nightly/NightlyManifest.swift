import Foundation

/// `manifest.json`, written last into a day's folder: what ran, from which
/// snapshot, when, what each report wrote (name, rows, bytes, SHA-256) and
/// the run's exit status.
struct NightlyManifest {
    let date: CivilDate
    let window: ReportWindow
    let snapshot: String
    let jobs: Int
    let stripeExport: String?
    let startedAt: Timestamp
    let finishedAt: Timestamp
    let results: [NightlyJobResult]
    let exitStatus: ExitStatus
    /// The day's figures for the output folder's index page.
    let headline: JSONValue?
    /// The exception register's and the closed months' figures, for delivery.
    var finance: JSONValue?
    /// The server the day was read from, and how many times a recovery
    /// conflict made it start again.
    let server: ServerState
    let retries: Int
    /// Each file's SHA-256, by name (`digests(of:in:)`): hashed once, for
    /// the manifest and the restatement check alike.
    let digests: [String: String]
    /// The reports whose numbers changed from the folder this one replaces.
    var restated: [Restatement] = []

    /// The SHA-256 of every file the results wrote into `folder`.
    static func digests(of results: [NightlyJobResult], in folder: String) throws(EngineError) -> [String: String] {
        var digests: [String: String] = [:]
        for file in results.flatMap(\.files) { digests[file.name] = try SHA256.hexDigest(ofFile: folder + "/" + file.name) }
        return digests
    }

    func json(folder: String) throws(EngineError) -> JSONValue {
        var formatter = TimestampFormatter(zone: window.zone)
        var files: [JSONValue] = []
        for result in results {
            for file in result.files {
                let path = folder + "/" + file.name
                let attributes = try? FileManager.default.attributesOfItem(atPath: path)
                files.append(.object([
                    ("name", .string(file.name)),
                    ("report", .string(result.name)),
                    ("rows", file.rows.map(JSONValue.integer) ?? .null),
                    ("bytes", .integer((attributes?[.size] as? NSNumber)?.int64Value ?? 0)),
                    ("sha256", .string(digests[file.name] ?? "")),
                ]))
            }
        }
        let reports: [JSONValue] = results.map { result in
            .object([
                ("name", .string(result.name)),
                ("status", .string(result.succeeded ? "ok" : "failed")),
                ("duration_ms", .integer(Int64(result.durationSeconds * 1000))),
                ("files", .array(result.files.map { .string($0.name) })),
                ("error", result.error.map(JSONValue.string) ?? .null),
            ])
        }
        return .object([
            ("engine", .string("keen-reports")),
            ("engine_version", .string(EngineVersion.current)),
            ("date", .string(date.description)),
            ("tz", .string(window.zone.identifier)),
            ("window", .object([("from", .string(formatter.format(window.from))), ("to", .string(formatter.format(window.to)))])),
            ("snapshot", .string(snapshot)),
            ("server", server.json),
            ("retries", .integer(Int64(retries))),
            ("jobs", .integer(Int64(jobs))),
            ("stripe_export", stripeExport.map { .string(URL(fileURLWithPath: $0).lastPathComponent) } ?? .null),
            ("started_at", .string(formatter.format(startedAt))),
            ("finished_at", .string(formatter.format(finishedAt))),
            ("reports", .array(reports)),
            ("files", .array(files)),
            ("exit_status", .integer(Int64(exitStatus.rawValue))),
            ("headline", headline ?? .null),
            ("finance", finance ?? .null),
            ("restated", .array(restated.map(\.json))),
        ])
    }
}

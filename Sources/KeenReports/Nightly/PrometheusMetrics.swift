import Foundation

/// Prometheus text-format metrics for node_exporter's textfile collector,
/// written atomically after a nightly run: when it last ran and last
/// succeeded, its exit status and duration, per report its duration, rows
/// and success, and the reconciliation's discrepancy counts.
struct PrometheusMetrics {
    static let lastSuccessName = "keen_reports_nightly_last_success_timestamp_seconds"

    let finishedAt: Date
    let durationSeconds: Double
    let exitStatus: ExitStatus
    let date: CivilDate?
    let results: [NightlyJobResult]
    var deliveries: [Deliverer.Outcome] = []

    func write(to path: String) throws(EngineError) {
        let succeeded = exitStatus == .clean || exitStatus == .discrepancies
        // A failed run keeps the last success time of the run before it.
        let lastSuccess = succeeded ? finishedAt.timeIntervalSince1970 : Self.previousLastSuccess(at: path)
        var text = ""
        func metric(_ name: String, _ help: String, _ samples: [(labels: String, value: String)]) {
            text += "# HELP \(name) \(help)\n# TYPE \(name) gauge\n"
            for sample in samples { text += "\(name)\(sample.labels) \(sample.value)\n" }
        }
        metric("keen_reports_nightly_last_run_timestamp_seconds", "Unix time the last nightly run finished.",
               [("", Self.number(finishedAt.timeIntervalSince1970))])
        if let lastSuccess {
            metric(Self.lastSuccessName, "Unix time the last nightly run that produced every report finished.",
                   [("", Self.number(lastSuccess))])
        }
        metric("keen_reports_nightly_exit_status", "Exit status of the last nightly run (0 clean, 1 discrepancies, 70 a report failed).",
               [("", String(exitStatus.rawValue))])
        metric("keen_reports_nightly_duration_seconds", "Wall time of the last nightly run.", [("", Self.number(durationSeconds))])
        if let date {
            metric("keen_reports_nightly_report_date_timestamp_seconds", "Midnight UTC of the last day the nightly run reported.",
                   [("", String(date.daysSinceUnixEpoch * 86_400))])
        }
        metric("keen_reports_report_success", "1 when the report was written, 0 when it failed.",
               results.map { ("{report=\"\($0.name)\"}", $0.succeeded ? "1" : "0") })
        metric("keen_reports_report_duration_seconds", "Wall time of the report in the last nightly run.",
               results.map { ("{report=\"\($0.name)\"}", Self.number($0.durationSeconds)) })
        metric("keen_reports_report_rows", "Data rows of each file the report wrote.",
               results.flatMap { result in
                   result.files.compactMap { file in file.rows.map { ("{report=\"\(result.name)\",file=\"\(file.name)\"}", String($0)) } }
               })
        if let counts = results.first(where: { $0.discrepancyCounts != nil })?.discrepancyCounts {
            metric("keen_reports_reconciliation_discrepancies", "Discrepancies the reconciliation found, per type.",
                   DiscrepancyType.allCases.map { ("{type=\"\($0.rawValue)\"}", String(counts[$0] ?? 0)) })
        }
        if !deliveries.isEmpty {
            // A target the night's outcome did not concern (skipped) has not failed.
            metric("keen_reports_delivery_success", "1 when the last night reached the delivery target (or did not concern it), 0 when it failed.",
                   deliveries.map { ("{target=\"\($0.name)\"}", $0.status == .failed ? "0" : "1") })
        }
        let file = try AtomicFile(path: path, mode: 0o644)
        try file.write(text)
        try file.commit()
    }

    private static func number(_ value: Double) -> String { String(format: "%.3f", value) }

    private static func previousLastSuccess(at path: String) -> Double? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(lastSuccessName + " ") {
            return Double(line.dropFirst(lastSuccessName.count + 1))
        }
        return nil
    }
}

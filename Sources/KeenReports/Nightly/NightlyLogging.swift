import Foundation
import Logging

/// What a nightly run logs. Each event has a human message (what the text
/// handler prints) and stable metadata (what the JSON handler writes), with
/// `event` naming it for log queries.
extension Logger {
    func reportProgress(date: CivilDate, report: String, rows: Int64, elapsed: Double) {
        debug("[\(date)] \(report): \(rows) rows, \(String(format: "%.1f", elapsed))s",
              metadata: ["event": "report.progress", "date": "\(date)", "report": "\(report)", "rows": .stringConvertible(rows)])
    }

    func reportFinished(date: CivilDate, _ result: NightlyJobResult) {
        let rows = result.files.compactMap(\.rows).max() ?? 0
        var line = "[\(date)] \(result.name) \(result.succeeded ? "ok" : "FAILED") rows=\(rows) duration=\(String(format: "%.2f", result.durationSeconds))s"
        var metadata: Metadata = ["event": "report.finished", "date": "\(date)", "report": "\(result.name)",
                                  "status": "\(result.succeeded ? "ok" : "failed")", "rows": .stringConvertible(rows),
                                  "duration_ms": .stringConvertible(Int64(result.durationSeconds * 1000))]
        if let error = result.error {
            line += " error=\(error)"
            metadata["error"] = "\(error)"
        }
        log(level: result.succeeded ? .info : .error, "\(line)", metadata: metadata)
    }

    func dayFinished(date: CivilDate, folder: String, status: ExitStatus, durationSeconds: Double) {
        log(level: status == .engineFailure ? .error : .info,
            "[\(date)] done: \(folder) exit=\(status.rawValue) duration=\(String(format: "%.2f", durationSeconds))s",
            metadata: ["event": "day.finished", "date": "\(date)", "folder": "\(folder)",
                       "exit_status": .stringConvertible(Int64(status.rawValue)),
                       "duration_ms": .stringConvertible(Int64(durationSeconds * 1000))])
    }

    func dayRestated(date: CivilDate, _ restated: [Restatement]) {
        warning("[\(date)] RESTATED: the day was delivered before and these reports changed: \(restated.map(\.report).joined(separator: ", "))",
                metadata: ["event": "day.restated", "date": "\(date)", "reports": .array(restated.map { .string($0.report) })])
    }

    func workerFailed(date: CivilDate, _ error: Error) {
        warning("[\(date)] a connection of the day's snapshot could not join (\((error as? EngineError)?.message ?? "\(error)")); the others do its reports",
                metadata: ["event": "worker.failed", "date": "\(date)"])
    }

    func leftoverRemoved(_ path: String, pid: Int32) {
        notice("removed \(path), left by nightly run pid \(pid) that did not finish",
               metadata: ["event": "leftover.removed", "path": "\(path)", "pid": .stringConvertible(Int64(pid))])
    }

    func pageFailed(_ path: String, _ error: Error) {
        self.error("cannot write the page \(path): \((error as? EngineError)?.message ?? "\(error)")",
                   metadata: ["event": "page.failed", "path": "\(path)"])
    }

    func ledgerPass(date: CivilDate, kind: String, note: String) {
        notice("[\(date)] reconciliation: \(kind) pass of the ledger, \(note)",
               metadata: ["event": "reconciliation.ledger_pass", "date": "\(date)", "kind": "\(kind)", "note": "\(note)"])
    }

    func registerRebuilt(date: CivilDate, _ problem: String) {
        warning("[\(date)] exception register: \(problem)",
                metadata: ["event": "exceptions.rebuilt", "date": "\(date)"])
    }
}

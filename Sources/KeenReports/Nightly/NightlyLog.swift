import Foundation

/// What a nightly run says on stderr while it works. On a terminal: a
/// progress line (report, rows so far, elapsed) and a line per finished
/// report. Otherwise (cron, systemd): one line per report, as text or as
/// JSON lines (`--log-format json`) for log shippers.
public final class NightlyLog: @unchecked Sendable {
    public enum Format: String, Sendable, CaseIterable {
        case text, json
    }

    private let format: Format
    private let interactive: Bool
    private let lock = NSLock()
    private let write: @Sendable (String) -> Void

    public init(format: Format, interactive: Bool = isatty(STDERR_FILENO) == 1,
                write: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }) {
        self.format = format
        self.interactive = interactive && format == .text
        self.write = write
    }

    func progress(date: CivilDate, report: String, rows: Int64, elapsed: Double) {
        guard interactive else { return }
        emit("\r\u{1B}[K[\(date)] \(report): \(rows) rows, \(String(format: "%.1f", elapsed))s", newline: false)
    }

    func finished(date: CivilDate, _ result: NightlyJobResult) {
        let rows = result.files.compactMap(\.rows).max() ?? 0
        switch format {
        case .text:
            var line = "[\(date)] \(result.name) \(result.succeeded ? "ok" : "FAILED") rows=\(rows) duration=\(String(format: "%.2f", result.durationSeconds))s"
            if let error = result.error { line += " error=\(error)" }
            emit((interactive ? "\r\u{1B}[K" : "") + line)
        case .json:
            emitJSON([("event", .string("report.finished")), ("date", .string(date.description)), ("report", .string(result.name)),
                      ("status", .string(result.succeeded ? "ok" : "failed")), ("rows", .integer(rows)),
                      ("duration_ms", .integer(Int64(result.durationSeconds * 1000))),
                      ("error", result.error.map(JSONValue.string) ?? .null)],
                     level: result.succeeded ? "info" : "error")
        }
    }

    func dayFinished(date: CivilDate, folder: String, status: ExitStatus, durationSeconds: Double) {
        switch format {
        case .text:
            emit("[\(date)] done: \(folder) exit=\(status.rawValue) duration=\(String(format: "%.2f", durationSeconds))s")
        case .json:
            emitJSON([("event", .string("day.finished")), ("date", .string(date.description)), ("folder", .string(folder)),
                      ("exit_status", .integer(Int64(status.rawValue))), ("duration_ms", .integer(Int64(durationSeconds * 1000)))],
                     level: status == .engineFailure ? "error" : "info")
        }
    }

    private func emitJSON(_ members: [(String, JSONValue)], level: String) {
        let time = ISO8601DateFormatter().string(from: Date())
        emit(JSONValue.object([("time", .string(time)), ("level", .string(level))] + members).serialized())
    }

    private func emit(_ text: String, newline: Bool = true) {
        lock.withLock { write(newline ? text + "\n" : text) }
    }
}

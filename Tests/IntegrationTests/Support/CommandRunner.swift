import Foundation

/// Runs the built keen-reports executable, as cron or a user would.
struct CommandResult {
    let status: Int32
    let stdout: String
    let stderr: String
}

func runKeenReports(_ arguments: [String], environment extra: [String: String] = [:]) throws -> CommandResult {
    try RunningCommand(arguments, environment: extra).wait()
}

/// keen-reports started in the background, to be signalled or waited for.
final class RunningCommand: @unchecked Sendable {
    let process = Process()
    private let out = Pipe()
    private let err = Pipe()
    private var outData = Data()
    private var errData = Data()
    private let readers = DispatchGroup()

    /// `executable` runs instead of keen-reports itself (a shell wrapper).
    init(_ arguments: [String], environment extra: [String: String] = [:], executable: URL? = nil) throws {
        process.executableURL = try executable ?? TestEnvironment.executable()
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["KEEN_DATABASE_URL"] = try TestEnvironment.databaseURL()
        environment["KEEN_REPORTS_CATALOG"] = TestEnvironment.packageRoot.path
        for (key, value) in extra { environment[key] = value }
        process.environment = environment
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Drain both pipes as the child writes, so it can never block on them.
        for (pipe, keyPath) in [(out, \RunningCommand.outData), (err, \RunningCommand.errData)] {
            readers.enter()
            DispatchQueue.global().async { [self] in
                self[keyPath: keyPath] = pipe.fileHandleForReading.readDataToEndOfFile()
                readers.leave()
            }
        }
    }

    func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    func wait() -> CommandResult {
        process.waitUntilExit()
        readers.wait()
        return CommandResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                             stderr: String(decoding: errData, as: UTF8.self))
    }
}

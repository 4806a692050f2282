import Foundation

/// Runs the built keen-reports executable, as cron or a user would.
struct CommandResult {
    let status: Int32
    let stdout: String
    let stderr: String
}

func runKeenReports(_ arguments: [String], environment extra: [String: String] = [:]) throws -> CommandResult {
    let process = Process()
    process.executableURL = try TestEnvironment.executable()
    process.arguments = arguments
    var environment = ProcessInfo.processInfo.environment
    environment["KEEN_DATABASE_URL"] = try TestEnvironment.databaseURL()
    environment["KEEN_REPORTS_CATALOG"] = TestEnvironment.packageRoot.path
    for (key, value) in extra { environment[key] = value }
    process.environment = environment
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Read both pipes fully before waiting, so a chatty child cannot block.
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CommandResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errData, as: UTF8.self))
}

import ArgumentParser
import Foundation
import KeenReports

@main
struct KeenReportsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keen-reports",
        abstract: "Analytics and billing reports over keen's PostgreSQL database.",
        discussion: "Exit status: 0 done; 1 reconciliation found discrepancies; 64 usage error; 65 bad input file; 69 database unreachable; 70 query or engine failure; 73 output not writable; 75 another nightly run holds the lock.",
        version: EngineVersion.current,
        subcommands: [ListCommand.self, DescribeCommand.self, RunCommand.self, ReconcileCommand.self, NightlyCommand.self]
    )

    /// Parses and runs, turning every failure into one line on stderr and
    /// the exit status REPORTS.md gives it.
    static func main() {
        let command: ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exitForParseError(error)
        }
        Interrupts.shared.install()
        do {
            var command = command
            try command.run()
        } catch let error as EngineError {
            fail(error.message, status: error.status.rawValue)
        } catch let error as ExitCode {
            Foundation.exit(error.rawValue)
        } catch {
            fail("\(error)", status: ExitStatus.engineFailure.rawValue)
        }
    }

    private static func exitForParseError(_ error: Error) -> Never {
        let code = exitCode(for: error)
        // Help and --version go to stdout as ArgumentParser prints them.
        if code == .success { exit(withError: error) }
        let message = message(for: error).split(whereSeparator: \.isNewline).first.map(String.init) ?? "invalid arguments"
        fail("\(message) (see 'keen-reports --help')", status: ExitStatus.usage.rawValue)
    }

    static func fail(_ message: String, status: Int32) -> Never {
        let line = message.replacingOccurrences(of: "\n", with: " ")
        FileHandle.standardError.write(Data("keen-reports: \(line)\n".utf8))
        Foundation.exit(status)
    }
}

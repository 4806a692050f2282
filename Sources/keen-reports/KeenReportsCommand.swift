import ArgumentParser
import Foundation
import KeenReports
import Logging

@main
struct KeenReportsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keen-reports",
        abstract: "Analytics and billing reports over keen's PostgreSQL database.",
        discussion: """
            Exit status: 0 done; 1 reconciliation found discrepancies; 64 usage error; 65 bad input file; \
            69 database unreachable; 70 query or engine failure; 73 output not writable; 75 another nightly run \
            holds the lock, or a standby is behind; 77 permission denied (row-level security, a missing privilege).
            """,
        version: EngineVersion.current,
        subcommands: [ListCommand.self, DescribeCommand.self, RunCommand.self, ReconcileCommand.self, NightlyCommand.self,
                      RollupCommand.self, RenderCommand.self, DeliverCommand.self, CheckCommand.self,
                      ExceptionsCommand.self, CloseCommand.self]
    )

    /// Parses and runs. ArgumentParser keeps what it does best (help on
    /// stdout with exit 0, --version, completions); every other failure
    /// becomes one line on stderr with the exit status REPORTS.md gives it.
    static func main() {
        let command: ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exitForArgumentError(error)
        }
        Interrupts.shared.install()
        // What the engine says while it works (a standby it waits for, a retry): one line each on stderr.
        LoggingSystem.bootstrap { _ in TextLogHandler(interactive: false, prefix: "keen-reports: ") }
        do {
            var command = command
            try command.run()
        } catch let error as EngineError {
            fail(error.commandLineMessage, status: error.status.rawValue)
        } catch let error as ExitCode {
            Foundation.exit(error.rawValue)
        } catch {
            // A command group run without a subcommand asks for help from
            // run(); anything else ArgumentParser knows is a usage error.
            exitForArgumentError(error)
        }
    }

    private static func exitForArgumentError(_ error: Error) -> Never {
        // Help, --version and completion scripts: ArgumentParser prints them
        // on stdout and exits 0.
        if exitCode(for: error) == .success { exit(withError: error) }
        let message = message(for: error).split(whereSeparator: \.isNewline).first.map(String.init) ?? "invalid arguments"
        fail("\(message) (see 'keen-reports --help')", status: ExitStatus.usage.rawValue)
    }

    static func fail(_ message: String, status: Int32) -> Never {
        Interrupts.shared.waitIfInterrupted()
        warn(message)
        Foundation.exit(status)
    }

    /// One line on stderr, prefixed like every error of the engine.
    static func warn(_ message: String) {
        let line = message.replacingOccurrences(of: "\n", with: " ")
        FileHandle.standardError.write(Data("keen-reports: \(line)\n".utf8))
    }
}

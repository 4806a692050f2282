import ArgumentParser
import Testing
@testable import keen_reports

/// The first thing anyone types. Help is ArgumentParser's, on stdout, exit 0,
/// for the root command and every subcommand, however it is asked for.
@Suite struct HelpTests {
    static let subcommands = ["list", "describe", "run", "reconcile", "nightly", "rollup", "render", "deliver", "check"]

    @Test(arguments: [["--help"], ["-h"], ["help"], []]
          + subcommands.flatMap { [[$0, "--help"], [$0, "-h"], ["help", $0]] })
    func printsHelpOnStdoutAndExitsZero(_ arguments: [String]) throws {
        let result = try runKeenReports(arguments)
        #expect(result.status == 0, "\(arguments): \(result.stderr)")
        #expect(result.stdout.contains("USAGE:"), "\(arguments): \(result.stdout)")
        #expect(result.stderr.isEmpty, "\(arguments): \(result.stderr)")
        #expect(!result.stdout.contains("CommandError") && !result.stdout.contains("helpRequested"))
        if let command = arguments.first(where: { Self.subcommands.contains($0) }) {
            #expect(result.stdout.contains("keen-reports \(command)"), "\(arguments): \(result.stdout)")
        }
    }

    /// Word for word, from the command's own definition, with no process and
    /// no database, as swift-argument-parser tests its examples: a change to
    /// an option or its help shows here.
    @Test func theDeliverCommandsHelpWordForWord() {
        #expect(KeenReportsCommand.helpMessage(for: DeliverCommand.self, columns: 80) == """
            OVERVIEW: Send a day that nightly wrote again, by email and webhook, without
            touching the database.

            After a mail outage, or to send one day to a new recipient. The day's files are
            checked against its manifest first. Exit status: 0 everything tried was sent,
            70 a delivery failed, 65 the day's folder is damaged, 64 a bad delivery file.

            USAGE: keen-reports deliver --date <YYYY-MM-DD> [--output-dir <DIR>] [--deliver <FILE>] [--only <NAME> ...]

            OPTIONS:
              --date <YYYY-MM-DD>     The day, as nightly wrote it.
              --output-dir <DIR>      Folder holding the day's folder. (default: output)
              --deliver <FILE>        A delivery file (YAML): who gets each day by email
                                      and webhook (default: KEEN_REPORTS_DELIVERY).
              --only <NAME>           Only these recipients and webhooks, by name.
              --version               Show the version.
              -h, --help              Show help information.

            """)
    }

    @Test func theCheckCommandsHelpWordForWord() {
        #expect(KeenReportsCommand.helpMessage(for: CheckCommand.self, columns: 80) == """
            OVERVIEW: Check that a command would run tonight (nightly by default), reading
            no report and writing nothing.

            Prints one line per check, ok, warn or FAIL, with what it found and what to do.
            Exits with the status the command itself would exit with for the first FAIL
            (64, 65, 69, 70, 73, 75, 77), else 0; warn does not fail.

            USAGE: keen-reports check <subcommand>

            OPTIONS:
              --version               Show the version.
              -h, --help              Show help information.

            SUBCOMMANDS:
              nightly (default)       Check a nightly run with these options.
              run                     Check a run of these reports with these options.
              reconcile               Check a reconciliation (with --mark, its writes) with
                                      these options.
              rollup                  Check a rollup (its writes too) with these options.

              See 'keen-reports help check <subcommand>' for detailed help.
            """)
    }

    @Test func versionStillPrintsTheVersion() throws {
        let result = try runKeenReports(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout.split(separator: ".").count == 3, "\(result.stdout)")
    }

    @Test(arguments: [["bogus"], ["run"], ["run", "daily_usage", "--from", "yesterday", "--to", "2026-11-02"]])
    func usageErrorsStayOneLineWith64(_ arguments: [String]) throws {
        let result = try runKeenReports(arguments)
        #expect(result.status == 64, "\(arguments): \(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(arguments): \(result.stderr)")
        #expect(result.stdout.isEmpty)
    }
}

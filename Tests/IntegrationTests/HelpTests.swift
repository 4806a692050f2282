import Testing

/// The first thing anyone types. Help is ArgumentParser's, on stdout, exit 0,
/// for the root command and every subcommand, however it is asked for.
@Suite struct HelpTests {
    static let subcommands = ["list", "describe", "run", "reconcile", "nightly", "rollup", "render"]

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

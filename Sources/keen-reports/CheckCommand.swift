import ArgumentParser
import Foundation
import KeenReports

/// `keen-reports check [COMMAND] [options]`: will COMMAND run, with these
/// options, on this server, as this role, into this folder? Each subcommand
/// takes exactly the options of the command it checks (they are parsed and
/// validated by that command's own definition), plus `--json`.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check that a command would run tonight (nightly by default), reading no report and writing nothing.",
        discussion: """
            Prints one line per check, ok, warn or FAIL, with what it found and what to do. Exits with the status the \
            command itself would exit with for the first FAIL (64, 65, 69, 70, 73, 75, 77), else 0; warn does not fail.
            """,
        subcommands: [CheckNightlyCommand.self, CheckRunCommand.self, CheckReconcileCommand.self, CheckRollupCommand.self],
        defaultSubcommand: CheckNightlyCommand.self)
}

/// How the checks are printed, and the exit status they give.
struct CheckOutputOptions: ParsableArguments {
    @Flag(help: "One JSON object per check and line (check, result, detail, fix), for programs.")
    var json = false

    /// Checks `command` with the options of its own that every command has, prints the lines, exits as it would.
    func check(_ command: SetupChecker.Plan.Command, catalog: CatalogOptions, connection: ConnectionOptions,
               servers: [ConnectionSettings]? = nil, windowEnd: Timestamp, zones: [ReportTimeZone], outputDirectory: String?,
               stripeExport: String? = nil, deliveryFile: String? = nil) throws {
        let checks = SetupChecker().check(SetupChecker.Plan(
            command: command, catalogDirectory: catalog.catalogDirectory, servers: servers ?? [connection.settings],
            replica: connection.replica(), windowEnd: windowEnd, zones: zones, outputDirectory: outputDirectory,
            stripeExport: stripeExport, statementTimeout: connection.statementTimeout, deliveryFile: deliveryFile))
        for check in checks { print(json ? check.json : check.line) }
        let status = checks.exitStatus
        if status != .clean { throw ExitCode(status.rawValue) }
    }
}

struct CheckNightlyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "nightly", abstract: "Check a nightly run with these options.")

    @OptionGroup var output: CheckOutputOptions
    @OptionGroup var nightly: NightlyCommand

    func run() throws {
        try output.check(.nightly, catalog: nightly.catalog, connection: nightly.connection, servers: nightly.connection.servers,
                         windowEnd: try nightly.days.lastWindowEnd(), zones: [nightly.days.tz, nightly.tolerance.metricsZone],
                         outputDirectory: nightly.outputDir, stripeExport: nightly.stripeExport, deliveryFile: nightly.delivery.path)
    }
}

struct CheckRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Check a run of these reports with these options.")

    @OptionGroup var output: CheckOutputOptions
    @OptionGroup var reports: RunCommand

    func run() throws {
        let window = try reports.window.window()
        try output.check(.run(reports: reports.reports, userID: reports.userID), catalog: reports.catalog, connection: reports.connection,
                         windowEnd: window.to, zones: [window.zone], outputDirectory: reports.outputDir)
    }
}

struct CheckReconcileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reconcile", abstract: "Check a reconciliation (with --mark, its writes) with these options.")

    @OptionGroup var output: CheckOutputOptions
    @OptionGroup var reconcile: ReconcileCommand

    func run() throws {
        let window = try reconcile.window.window()
        try output.check(.reconcile(mark: reconcile.mark, dryRun: reconcile.dryRun), catalog: reconcile.catalog,
                         connection: reconcile.connection, windowEnd: window.to, zones: [window.zone, reconcile.tolerance.metricsZone],
                         outputDirectory: reconcile.outputDir, stripeExport: reconcile.stripeExport)
    }
}

struct CheckRollupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rollup", abstract: "Check a rollup (its writes too) with these options.")

    @OptionGroup var output: CheckOutputOptions
    @OptionGroup var rollup: RollupCommand

    func run() throws {
        try output.check(.rollup(dryRun: rollup.dryRun), catalog: rollup.catalog, connection: rollup.connection,
                         windowEnd: try rollup.days.lastWindowEnd(), zones: [rollup.days.tz], outputDirectory: nil)
    }
}

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

    func finish(_ checks: [SetupCheck]) throws {
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
        let days = try nightly.days.days()
        let zone = try nightly.days.zone()
        try output.finish(SetupChecker().check(SetupChecker.Plan(
            command: .nightly, catalogDirectory: nightly.catalog.catalogDirectory, servers: nightly.connection.servers,
            replica: nightly.connection.replica(), windowEnd: try ReportWindow(days: days.last!, through: days.last!, zone: zone).to,
            zones: [zone, nightly.tolerance.metricsZone], outputDirectory: nightly.outputDir, stripeExport: nightly.stripeExport,
            statementTimeout: nightly.connection.statementTimeout, deliveryFile: nightly.delivery.path)))
    }
}

struct CheckRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Check a run of these reports with these options.")

    @OptionGroup var output: CheckOutputOptions
    @OptionGroup var reports: RunCommand

    func run() throws {
        let window = try reports.window.window()
        try output.finish(SetupChecker().check(SetupChecker.Plan(
            command: .run(reports: reports.reports, userID: reports.userID), catalogDirectory: reports.catalog.catalogDirectory,
            servers: [reports.connection.settings], replica: reports.connection.replica(), windowEnd: window.to, zones: [window.zone],
            outputDirectory: reports.outputDir, stripeExport: nil, statementTimeout: reports.connection.statementTimeout)))
    }
}

struct CheckReconcileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reconcile", abstract: "Check a reconciliation (with --mark, its writes) with these options.")

    @OptionGroup var output: CheckOutputOptions
    @OptionGroup var reconcile: ReconcileCommand

    func run() throws {
        let window = try reconcile.window.window()
        try output.finish(SetupChecker().check(SetupChecker.Plan(
            command: .reconcile(mark: reconcile.mark, dryRun: reconcile.dryRun), catalogDirectory: reconcile.catalog.catalogDirectory,
            servers: [reconcile.connection.settings], replica: reconcile.connection.replica(), windowEnd: window.to,
            zones: [window.zone, reconcile.tolerance.metricsZone], outputDirectory: reconcile.outputDir,
            stripeExport: reconcile.stripeExport, statementTimeout: reconcile.connection.statementTimeout)))
    }
}

struct CheckRollupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rollup", abstract: "Check a rollup (its writes too) with these options.")

    @OptionGroup var output: CheckOutputOptions
    @OptionGroup var rollup: RollupCommand

    func run() throws {
        let days = try rollup.days.days()
        let zone = try rollup.days.zone()
        try output.finish(SetupChecker().check(SetupChecker.Plan(
            command: .rollup(dryRun: rollup.dryRun), catalogDirectory: rollup.catalog.catalogDirectory,
            servers: [rollup.connection.settings], replica: rollup.connection.replica(),
            windowEnd: try ReportWindow(days: days.last!, through: days.last!, zone: zone).to, zones: [zone],
            outputDirectory: nil, stripeExport: nil, statementTimeout: rollup.connection.statementTimeout)))
    }
}

import ArgumentParser
import KeenReports

struct ReconcileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile",
        abstract: "Check that the credit ledger adds up and agrees with Stripe.",
        discussion: """
            Writes reconciliation_summary.json and reconciliation_discrepancies.csv / .json. \
            Exits 0 when clean, 1 when any discrepancy is found, 65 when the Stripe export is malformed.
            """)

    @OptionGroup var window: WindowOptions

    @Option(help: ArgumentHelp("A payments export from Stripe's dashboard (CSV) to match the ledger's purchases against.", valueName: "FILE"))
    var stripeExport: String?

    @OptionGroup var tolerance: ToleranceOptions

    @Option(help: ArgumentHelp("Folder for the files; created when missing.", valueName: "DIR"))
    var outputDir: String = "output"

    @OptionGroup var format: FormatOptions
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var catalog: CatalogOptions

    func run() throws {
        let options = try Reconciler.Options(window: try window.window(), tolerance: tolerance.value,
                                             stripeExport: stripeExport, formats: format.formats)
        let outcome = try Reconciler(catalog: try catalog.load()).run(
            options, connection: connection.settings, output: outputDir, statementTimeout: connection.statementTimeout)
        for path in outcome.paths { print(path) }
        print(outcome.clean ? "reconciliation: clean" : "reconciliation: \(outcome.discrepancies) discrepancies\(outcome.balanced ? "" : ", opening + net change != closing")")
        if !outcome.clean { throw ExitCode(outcome.exitStatus.rawValue) }
    }
}

import ArgumentParser
import KeenReports

struct ReconcileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile",
        abstract: "Check that the credit ledger adds up and agrees with Stripe.",
        discussion: """
            Writes reconciliation_summary.json and reconciliation_discrepancies.csv / .json (reconciliation.xlsx with \
            --format xlsx). With --mark, also changes credit_transactions.reconciliation_status and writes \
            reconciliation_marks.csv / .json. Exits 0 when clean, 1 when any discrepancy is found, 65 when the Stripe \
            export is malformed, 77 when the role lacks a privilege --mark needs.
            """)

    @OptionGroup var window: WindowOptions

    @Option(help: ArgumentHelp("A payments export from Stripe's dashboard (CSV) to match the ledger's purchases against.", valueName: "FILE"))
    var stripeExport: String?

    @OptionGroup var tolerance: ToleranceOptions

    @Option(help: ArgumentHelp("Folder for the files; created when missing.", valueName: "DIR"))
    var outputDir: String = "output"

    @Flag(help: "Then mark the ledger: disputed for every transaction a discrepancy names, reconciled for purchases Stripe collected exactly (needs --stripe-export).")
    var mark = false

    @Flag(help: "With --mark: write every file as if marking, change nothing.")
    var dryRun = false

    @OptionGroup var format: FormatOptions
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var catalog: CatalogOptions

    func validate() throws {
        try connection.validateOneServer()
        if dryRun && !mark { throw ValidationError("--dry-run goes with --mark") }
        if mark && stripeExport == nil {
            throw ValidationError("--mark needs --stripe-export: nothing can be called reconciled without the processor's side")
        }
    }

    func run() throws {
        var options = try Reconciler.Options(window: try window.window(), tolerance: tolerance.value,
                                             stripeExport: stripeExport, formats: format.formats,
                                             marking: mark ? LedgerMarking(dryRun: dryRun, settings: connection.settings,
                                                                           statementTimeout: connection.statementTimeout) : nil)
        options.metricsZone = tolerance.metricsZone
        let outcome = try Reconciler(catalog: try catalog.load()).run(
            options, connection: connection.settings, output: outputDir, statementTimeout: connection.statementTimeout,
            replica: connection.replica())
        for path in outcome.paths { print(path) }
        if let marked = outcome.marked {
            print("\(dryRun ? "would mark" : "marked"): \(marked.reconciled) reconciled, \(marked.disputed) disputed, \(marked.skipped) skipped")
        }
        print(outcome.clean ? "reconciliation: clean" : "reconciliation: \(outcome.discrepancies) discrepancies\(outcome.balanced ? "" : ", opening + net change != closing")")
        if !outcome.clean { throw ExitCode(outcome.exitStatus.rawValue) }
    }
}

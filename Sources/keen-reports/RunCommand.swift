import ArgumentParser
import KeenReports

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run reports over a window and write <output-dir>/<report>.csv and .json (and .xlsx).",
        discussion: "Several reports in one run share one read-only snapshot; no file appears unless every report succeeded.")

    @Argument(help: "Reports to run, as 'list' names them.")
    var reports: [String]

    @OptionGroup var window: WindowOptions

    @Option(help: ArgumentHelp("Only this user's rows (for trees, the root's user).", valueName: "UUID"), transform: ReportParameters.userID)
    var userID: String?

    @OptionGroup var format: FormatOptions

    @Option(help: ArgumentHelp("Folder for the files; created when missing.", valueName: "DIR"))
    var outputDir: String = "output"

    @Flag(help: "Do not prefix text cells that start with =, +, -, @, tab or CR with a quote.")
    var noFormulaGuard = false

    @Option(help: "Connections sharing the run's snapshot for reports that can split their scan (session_usage).")
    var jobs: Int = 1

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var catalog: CatalogOptions

    func validate() throws {
        try connection.validateOneServer()
        guard jobs >= 1 && jobs <= 64 else { throw ValidationError("--jobs must be between 1 and 64") }
    }

    func run() throws {
        let catalog = try catalog.load()
        var seen = Set<String>()
        let definitions = try reports.filter { seen.insert($0).inserted }.map { try catalog.report(named: $0) }
        let written = try ReportRunner(catalog: catalog).run(
            definitions, parameters: try ReportParameters(window: window.window(), userID: userID), connection: connection.settings,
            output: OutputOptions(directory: outputDir, formats: format.formats, formulaGuard: !noFormulaGuard),
            statementTimeout: connection.statementTimeout, jobs: jobs, replica: connection.replica())
        for output in written {
            for path in output.paths { print("\(path)\t\(output.rows) rows") }
        }
    }
}

import ArgumentParser
import Foundation
import KeenReports
import Logging

struct NightlyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nightly",
        abstract: "Run every nightly report and the reconciliation for a day into <output-dir>/<date>/.",
        discussion: """
            All reports of a day see one snapshot of the database, shared by --jobs connections. The day's folder is \
            built aside and swapped in whole, manifest.json last. Exit status: 0 clean, 1 reconciliation discrepancies, \
            70 a report failed (the others are still written) or a delivery failed, 75 another nightly run holds the lock \
            on the output folder. With --deliver, each day is sent by email and webhook once it is in place.
            """)

    @OptionGroup var days: DayOptions

    @Option(help: "Connections working in parallel, sharing one snapshot.")
    var jobs: Int = 2

    @Option(help: ArgumentHelp("A Stripe payments export for the reconciliation.", valueName: "FILE"))
    var stripeExport: String?

    @OptionGroup var tolerance: ToleranceOptions

    @Option(help: ArgumentHelp("Folder under which each day's folder is written.", valueName: "DIR"))
    var outputDir: String = "output"

    @Option(help: ArgumentHelp("Write Prometheus text-format metrics here (node_exporter textfile collector).", valueName: "PATH"))
    var metricsFile: String?

    @Option(help: "text or json (one JSON object per line).")
    var logFormat: LogFormat = .text

    @Flag(help: "Reconcile the whole ledger tonight instead of starting from the last checkpoint.")
    var full = false

    @Option(help: ArgumentHelp("Reconcile the whole ledger at least once every this many days.", valueName: "DAYS"))
    var fullEvery = 7

    @OptionGroup var delivery: DeliveryOptions

    @OptionGroup var format: FormatOptions
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var catalog: CatalogOptions

    enum LogFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    func validate() throws {
        guard jobs >= 1 && jobs <= 64 else { throw ValidationError("--jobs must be between 1 and 64") }
        guard fullEvery >= 1 else { throw ValidationError("--full-every must be at least 1 day") }
    }

    func run() throws {
        let log = Logger(label: "keen-reports.nightly") { _ in
            switch logFormat {
            case .text: TextLogHandler(interactive: isatty(STDERR_FILENO) == 1)
            case .json: JSONLogHandler()
            }
        }
        var options = NightlyRunner.Options(
            dates: try days.days(), zone: days.tz, jobs: jobs, stripeExport: stripeExport, tolerance: tolerance.value, formats: format.formats, outputDirectory: outputDir,
            metricsFile: metricsFile, statementTimeout: connection.statementTimeout, connection: connection.servers[0],
            moreServers: Array(connection.servers.dropFirst()), replica: connection.replica(log: log))
        options.fullPass = full
        options.metricsZone = tolerance.metricsZone
        options.fullPassEvery = fullEvery
        options.delivery = try delivery.load()
        let status = try NightlyRunner(catalog: try catalog.load(), log: log).run(options)
        if status != .clean { throw ExitCode(status.rawValue) }
    }
}

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
            70 a report failed (the others are still written), 75 another nightly run holds the lock on the output folder.
            """)

    @Option(help: ArgumentHelp("The day to report (default: yesterday in --tz).", valueName: "YYYY-MM-DD"))
    var date: String?

    @Option(help: ArgumentHelp("First day of a backfill (inclusive); needs --to-date.", valueName: "YYYY-MM-DD"))
    var fromDate: String?

    @Option(help: ArgumentHelp("Last day of a backfill (inclusive).", valueName: "YYYY-MM-DD"))
    var toDate: String?

    @Option(help: ArgumentHelp("IANA time zone where days begin.", valueName: "ZONE"))
    var tz: String = "UTC"

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

    @OptionGroup var format: FormatOptions
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var catalog: CatalogOptions

    enum LogFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    func validate() throws {
        guard jobs >= 1 && jobs <= 64 else { throw ValidationError("--jobs must be between 1 and 64") }
        do { _ = try days() } catch let error as EngineError { throw ValidationError(error.message) }
    }

    func zone() throws -> ReportTimeZone {
        try ReportTimeZone.parse(tz)
    }

    /// The days to run, oldest first.
    func days() throws -> [CivilDate] {
        func parse(_ text: String, _ option: String) throws -> CivilDate {
            guard let date = CivilDate(text) else { throw EngineError.usage("\(option) '\(text.prefix(32))' is not a date (YYYY-MM-DD)") }
            return date
        }
        switch (date, fromDate, toDate) {
        case (nil, nil, nil):
            var formatter = TimestampFormatter(zone: try zone())
            let now = Timestamp(unixMicroseconds: Int64(Date().timeIntervalSince1970) * 1_000_000)
            return [formatter.localDate(of: now).adding(days: -1)]
        case (let date?, nil, nil):
            return [try parse(date, "--date")]
        case (nil, let first?, let last?):
            let from = try parse(first, "--from-date")
            let to = try parse(last, "--to-date")
            guard from <= to else { throw EngineError.usage("--to-date must not be before --from-date") }
            let count = Int(to.daysSinceUnixEpoch - from.daysSinceUnixEpoch) + 1
            guard count <= 3660 else { throw EngineError.usage("a backfill covers at most 3660 days") }
            return (0..<count).map { from.adding(days: $0) }
        default:
            throw EngineError.usage("give --date, or --from-date with --to-date, or neither (yesterday)")
        }
    }

    func run() throws {
        let log = Logger(label: "keen-reports.nightly") { _ in
            switch logFormat {
            case .text: TextLogHandler(interactive: isatty(STDERR_FILENO) == 1)
            case .json: JSONLogHandler()
            }
        }
        let options = NightlyRunner.Options(
            dates: try days(), zone: try zone(), jobs: jobs, stripeExport: stripeExport, tolerance: tolerance.value, formats: format.formats, outputDirectory: outputDir,
            metricsFile: metricsFile, statementTimeout: connection.statementTimeout, connection: connection.settings)
        let status = try NightlyRunner(catalog: try catalog.load(), log: log).run(options)
        if status != .clean { throw ExitCode(status.rawValue) }
    }
}

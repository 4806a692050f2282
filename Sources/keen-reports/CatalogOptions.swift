import ArgumentParser
import Foundation
import KeenReports

/// Where the report definitions and queries are.
struct CatalogOptions: ParsableArguments {
    @Option(name: .customLong("catalog"), help: ArgumentHelp(
        "Folder holding reports/ and queries/ (default: KEEN_REPORTS_CATALOG, else found next to the executable or the working directory).",
        valueName: "DIR"))
    var catalogDirectory: String?

    func load() throws -> ReportCatalog {
        try ReportCatalog(directory: ReportCatalog.locate(explicit: catalogDirectory))
    }
}

/// How to reach PostgreSQL and how long a query may take.
struct ConnectionOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "libpq connection URI or key=value string (default: KEEN_DATABASE_URL, else DATABASE_URL, else libpq's PG* defaults).",
        valueName: "URL"))
    var databaseURL: String?

    @Option(help: ArgumentHelp("Longest a single query may run, e.g. 30s, 15min, 2h; 0 for no limit.", valueName: "DURATION"))
    var statementTimeout: String = ReportRunner.defaultStatementTimeout

    var settings: ConnectionSettings { ConnectionSettings.resolve(option: databaseURL) }

    func validate() throws {
        guard StatementTimeout.isValid(statementTimeout) else {
            throw ValidationError("--statement-timeout '\(statementTimeout.prefix(32))' is not a duration like 500ms, 30s, 15min, 2h or 0")
        }
    }
}

/// The window and time zone of a report run or reconciliation.
struct WindowOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Start of the window, inclusive: YYYY-MM-DD (midnight in --tz) or an RFC 3339 timestamp.", valueName: "WHEN"))
    var from: String

    @Option(help: ArgumentHelp("End of the window, exclusive: YYYY-MM-DD or an RFC 3339 timestamp.", valueName: "WHEN"))
    var to: String

    @Option(help: ArgumentHelp("IANA time zone where days and hours begin.", valueName: "ZONE"))
    var tz: String = "UTC"

    func window() throws -> ReportWindow {
        try ReportWindow(from: from, to: to, zone: ReportTimeZone.parse(tz))
    }

    func validate() throws {
        do { _ = try window() } catch let error as EngineError { throw ValidationError(error.message) }
    }
}

/// How far apart two amounts may be before a reconciliation check reports them.
struct ToleranceOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Let through checks that compare two amounts when they differ by at most this many credits.", valueName: "DECIMAL"))
    var tolerance: String = "0"

    var value: ExactDecimal { ExactDecimal(tolerance) ?? .zero }

    func validate() throws {
        guard let value = ExactDecimal(tolerance), !value.isNegative else {
            throw ValidationError("--tolerance '\(tolerance.prefix(32))' is not a non-negative decimal like 0.01")
        }
    }
}

/// Which files a command writes.
struct FormatOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Comma-separated list of csv, json, xlsx, or all.", valueName: "LIST"))
    var format: String = "csv,json"

    var formats: Set<OutputOptions.Format> { (try? OutputOptions.Format.parseList(format)) ?? OutputOptions.Format.defaults }

    func validate() throws {
        do { _ = try OutputOptions.Format.parseList(format) } catch let error as EngineError { throw ValidationError(error.message) }
    }
}

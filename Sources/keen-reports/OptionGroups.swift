import ArgumentParser
import Foundation
import KeenReports
import Logging

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

/// How to reach PostgreSQL, how long a query may take, and how to treat a
/// hot standby.
///
/// Typed options are parsed once, by a `transform` that throws what a bad
/// value should look like (ArgumentParser names the option). A transformed
/// option's help shows no default of its own, so the help text says it.
struct ConnectionOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "libpq connection URI or key=value string (default: KEEN_DATABASE_URL, else DATABASE_URL, else libpq's PG* defaults); nightly takes several.",
        valueName: "URL"))
    var databaseURL: [String] = []

    @Option(help: ArgumentHelp("Longest a single query may run, e.g. 30s, 15min, 2h; 0 for no limit. (default: 1h)", valueName: "DURATION"),
            transform: StatementTimeout.parse)
    var statementTimeout: StatementTimeout = .standard

    @Option(help: ArgumentHelp("On a standby, wait until it has replayed this primary's current WAL insert position (instead of judging by the last replayed transaction's time).",
                               valueName: "URL"))
    var primaryURL: String?

    @Option(help: ArgumentHelp("Longest to wait for a standby to be fresh enough, then exit 75. (default: 10min)", valueName: "DURATION"),
            transform: StatementTimeout.parse)
    var replicaWait = StatementTimeout("10min")!

    /// The first server (every command but nightly takes one).
    var settings: ConnectionSettings { ConnectionSettings.resolve(option: databaseURL.first) }

    /// Every server given, in order.
    var servers: [ConnectionSettings] {
        databaseURL.isEmpty ? [settings] : databaseURL.map { ConnectionSettings(conninfo: $0) }
    }

    func replica(log: Logger = Logger(label: "keen-reports")) -> ReplicaOptions {
        ReplicaOptions(primary: primaryURL.map { ConnectionSettings(conninfo: $0) },
                       waitSeconds: replicaWait.seconds, log: log)
    }

    /// For the commands that read one server.
    func validateOneServer() throws {
        if databaseURL.count > 1 { throw ValidationError("--database-url may be given once here (nightly takes several)") }
    }
}

/// The window and time zone of a report run or reconciliation.
struct WindowOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Start of the window, inclusive: YYYY-MM-DD (midnight in --tz) or an RFC 3339 timestamp.", valueName: "WHEN"))
    var from: String

    @Option(help: ArgumentHelp("End of the window, exclusive: YYYY-MM-DD or an RFC 3339 timestamp.", valueName: "WHEN"))
    var to: String

    @Option(help: ArgumentHelp("IANA time zone where days and hours begin. (default: UTC)", valueName: "ZONE"), transform: ReportTimeZone.parse)
    var tz: ReportTimeZone = .utc

    func window() throws(EngineError) -> ReportWindow {
        let start = try ReportWindow.instant(from, zone: tz, subject: .windowStart)
        let end = try ReportWindow.instant(to, zone: tz, subject: .windowEnd)
        guard end > start else { throw .usage("--to must be after --from (got from \(start.utcText), to \(end.utcText))") }
        return try ReportWindow(from: start, to: end, zone: tz)
    }

    func validate() throws {
        do { _ = try window() } catch { throw ValidationError(error.commandLineMessage) }
    }
}

/// How far apart two amounts may be before a reconciliation check reports
/// them, and where the platform's own counters begin their days.
struct ToleranceOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Let through checks that compare two amounts when they differ by at most this many credits.", valueName: "DECIMAL"))
    var tolerance: ExactDecimal = .zero

    @Option(name: .customLong("metrics-tz"),
            help: ArgumentHelp("The zone system_metrics counts its days in, for its money counters against the ledger. (default: UTC)",
                               valueName: "ZONE"),
            transform: ReportTimeZone.parse)
    var metricsZone: ReportTimeZone = .utc

    var value: ExactDecimal { tolerance }

    func validate() throws {
        guard !tolerance.isNegative else { throw ValidationError("--tolerance must not be negative") }
    }
}

/// Which files a command writes.
struct FormatOptions: ParsableArguments {
    @Option(name: .customLong("format"), help: ArgumentHelp("Comma-separated list of csv, json, xlsx, or all. (default: csv,json)",
                                                             valueName: "LIST"),
            transform: OutputOptions.Format.parseList)
    var formats: Set<OutputOptions.Format> = OutputOptions.Format.defaults
}

/// The days a nightly or rollup covers: `--date`, a backfill, or yesterday.
struct DayOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The day (default: yesterday in --tz).", valueName: "YYYY-MM-DD"), transform: CivilDate.parse)
    var date: CivilDate?

    @Option(help: ArgumentHelp("First day of a backfill (inclusive); needs --to-date.", valueName: "YYYY-MM-DD"),
            transform: CivilDate.parse)
    var fromDate: CivilDate?

    @Option(help: ArgumentHelp("Last day of a backfill (inclusive).", valueName: "YYYY-MM-DD"), transform: CivilDate.parse)
    var toDate: CivilDate?

    @Option(help: ArgumentHelp("IANA time zone where days begin. (default: UTC)", valueName: "ZONE"), transform: ReportTimeZone.parse)
    var tz: ReportTimeZone = .utc

    func validate() throws {
        do { _ = try days() } catch { throw ValidationError(error.message) }
    }

    /// Where the last day ends: what a standby must have replayed.
    func lastWindowEnd() throws -> Timestamp {
        let last = try days().last!
        return try ReportWindow(days: last, through: last, zone: tz).to
    }

    /// The days, oldest first.
    func days() throws(EngineError) -> [CivilDate] {
        switch (date, fromDate, toDate) {
        case (nil, nil, nil):
            var formatter = TimestampFormatter(zone: tz)
            let now = Timestamp(unixMicroseconds: Int64(Date().timeIntervalSince1970) * 1_000_000)
            return [formatter.localDate(of: now).adding(days: -1)]
        case (let date?, nil, nil):
            return [date]
        case (nil, let from?, let to?):
            guard from <= to else { throw EngineError.usage("--to-date must not be before --from-date") }
            let count = Int(to.daysSinceUnixEpoch - from.daysSinceUnixEpoch) + 1
            guard count <= 3660 else { throw EngineError.usage("a backfill covers at most 3660 days") }
            return (0..<count).map { from.adding(days: $0) }
        default:
            throw EngineError.usage("give --date, or --from-date with --to-date, or neither (yesterday)")
        }
    }
}

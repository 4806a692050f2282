import ArgumentParser
import KeenReports

struct RollupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollup",
        abstract: "Fill daily_usage_stats with the daily_usage report of each day.",
        discussion: """
            One transaction per day: the day's rows are upserted on (user_id, date_bucket), rows of users no longer in \
            the report deleted, rows already equal left alone. A value the table's columns cannot hold fails its day \
            (exit 70) and is never clipped. The role needs SELECT as for reports and INSERT, UPDATE, DELETE on \
            daily_usage_stats (exit 77 otherwise); a hot standby is refused (exit 64).
            """)

    @OptionGroup var days: DayOptions

    @Flag(help: "Print per day how many rows would be inserted, updated and deleted; change nothing.")
    var dryRun = false

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var catalog: CatalogOptions

    func validate() throws {
        try connection.validateOneServer()
    }

    func run() throws {
        let results = try DailyUsageRollup(catalog: try catalog.load()).run(
            days: try days.days(), zone: days.tz, settings: connection.settings, dryRun: dryRun,
            statementTimeout: connection.statementTimeout) { day in
            if let error = day.error {
                KeenReportsCommand.warn(error)
            } else {
                print("\(day.date): \(dryRun ? "would insert" : "inserted") \(day.inserted), \(dryRun ? "update" : "updated") \(day.updated), \(dryRun ? "delete" : "deleted") \(day.deleted)")
            }
        }
        if results.contains(where: { $0.error != nil }) { throw ExitCode(ExitStatus.engineFailure.rawValue) }
    }
}

import Foundation
import Testing
@testable import KeenReports

/// `ledger_rollforward` against an independent SQL computation of
/// REPORTS.md's definition, day by day, and the property finance relies on:
/// the days tie out, and a chain break shows on its own day only.
@Suite struct LedgerRollforwardTests {
    /// The report's rows as SQL computes them, in the session's time zone.
    static func expected(url: String, window: ReportWindow) throws -> [[String]] {
        let connection = try PostgresConnection(ConnectionSettings(conninfo: url))
        return try connection.execute("""
            WITH days AS (
                SELECT d::date AS day,
                       greatest($1::timestamptz, (d::date)::timestamp AT TIME ZONE $3) AS lo,
                       least($2::timestamptz, ((d::date) + 1)::timestamp AT TIME ZONE $3) AS hi
                FROM generate_series(($1::timestamptz AT TIME ZONE $3)::date,
                                     (($2::timestamptz - interval '1 microsecond') AT TIME ZONE $3)::date, interval '1 day') AS d
            ), balances AS (
                SELECT d.day,
                       (SELECT coalesce(sum(x.balance_after), 0) FROM (
                            SELECT DISTINCT ON (account_id) balance_after FROM credit_transactions
                            WHERE created_at < d.lo ORDER BY account_id, created_at DESC, id DESC) x) AS opening,
                       (SELECT coalesce(sum(x.balance_after), 0) FROM (
                            SELECT DISTINCT ON (account_id) balance_after FROM credit_transactions
                            WHERE created_at < d.hi ORDER BY account_id, created_at DESC, id DESC) x) AS closing
                FROM days d
            ), flows AS (
                SELECT d.day,
                       coalesce(sum(t.amount) FILTER (WHERE t.transaction_type = 'purchase'), 0) AS purchases,
                       coalesce(sum(t.amount) FILTER (WHERE t.transaction_type = 'usage'), 0) AS usage,
                       coalesce(sum(t.amount) FILTER (WHERE t.transaction_type = 'refund' AND t.stripe_payment_intent_id IS NOT NULL), 0) AS payment_refunds,
                       coalesce(sum(t.amount) FILTER (WHERE t.transaction_type = 'refund' AND t.stripe_payment_intent_id IS NULL), 0) AS credit_refunds,
                       coalesce(sum(t.amount) FILTER (WHERE t.transaction_type = 'adjustment'), 0) AS adjustments,
                       coalesce(sum(t.amount), 0) AS net_change,
                       count(t.id) AS transactions
                FROM days d LEFT JOIN credit_transactions t ON t.created_at >= d.lo AND t.created_at < d.hi
                GROUP BY d.day
            )
            SELECT b.day::text, round(b.opening, 4)::text, round(f.purchases, 4)::text, round(f.usage, 4)::text,
                   round(f.payment_refunds, 4)::text, round(f.credit_refunds, 4)::text, round(f.adjustments, 4)::text,
                   round(f.net_change, 4)::text, round(b.closing, 4)::text, round(b.closing - b.opening - f.net_change, 4)::text,
                   f.transactions::text
            FROM balances b JOIN flows f USING (day) ORDER BY b.day
            """, [window.from.utcText, window.to.utcText, window.zone.identifier]).rows.map { $0.map { $0 ?? "" } }
    }

    static func run(url: String, window: ReportWindow, formats: Set<OutputOptions.Format> = OutputOptions.Format.defaults) throws -> String {
        let catalog = try TestEnvironment.catalog()
        let directory = try TestEnvironment.temporaryDirectory()
        _ = try ReportRunner(catalog: catalog).run([try catalog.report(named: "ledger_rollforward")],
                                                   parameters: ReportParameters(window: window),
                                                   connection: ConnectionSettings(conninfo: url),
                                                   output: OutputOptions(directory: directory, formats: formats))
        return directory
    }

    // Across the end of US daylight saving time (2026-11-01), from a start that is not midnight.
    @Test(arguments: [("2026-10-25", "2026-11-05", "UTC"), ("2026-10-30T15:30:00-04:00", "2026-11-03", "America/New_York"),
                      ("2026-11-10", "2026-11-20T06:00:00Z", "America/New_York")])
    func agreesWithIndependentSQL(from: String, to: String, tz: String) throws {
        let window = try ReportWindow(from: from, to: to, zone: #require(ReportTimeZone(identifier: tz)))
        for url in [try TestEnvironment.databaseURL(), try ReconciliationTests.environment("KEEN_TEST_PLANTED_URL")] {
            let directory = try Self.run(url: url, window: window)
            let rows = try TestEnvironment.csv(directory + "/ledger_rollforward.csv")
            #expect(rows.first == LedgerRollforward.columns)
            #expect(Array(rows.dropFirst()) == (try Self.expected(url: url, window: window)), "\(from) to \(to) in \(tz)")
            let json = try TestEnvironment.json(directory + "/ledger_rollforward.json")
            #expect((json["rows"] as? [[String: Any]])?.first?["opening_balance"] as? String == rows.dropFirst().first?[1],
                    "amounts are JSON strings")
        }
    }

    @Test func cleanChainsTieOutAndABreakShowsOnItsDayOnly() throws {
        let window = try ReportWindow(from: "2026-11-01", to: "2026-11-29", zone: .utc)
        let clean = Array(try TestEnvironment.csv(Self.run(url: TestEnvironment.databaseURL(), window: window) + "/ledger_rollforward.csv").dropFirst())
        #expect(clean.count == 28)
        #expect(clean.allSatisfy { $0[9] == "0.0000" }, "difference is zero every day")
        for (today, tomorrow) in zip(clean, clean.dropFirst()) { #expect(today[8] == tomorrow[1], "\(today[0]) closes where \(tomorrow[0]) opens") }
        #expect(clean.contains { $0[5] != "0.0000" } && clean.contains { $0[6] != "0.0000" }, "the data has credit refunds and adjustments")

        // The planted database has one chain break: 1.0000 on 2026-11-15.
        let planted = Array(try TestEnvironment.csv(Self.run(url: ReconciliationTests.environment("KEEN_TEST_PLANTED_URL"), window: window)
            + "/ledger_rollforward.csv").dropFirst())
        #expect(planted.filter { $0[9] != "0.0000" }.map { [$0[0], $0[9]] } == [["2026-11-15", "1.0000"]])
    }

    @Test func aTenantSeesItsAccountsOnly() throws {
        let window = try ReportWindow(from: "2026-11-01", to: "2026-11-08", zone: .utc)
        let user = try #require(try TestEnvironment.query("SELECT user_id::text FROM credit_accounts ORDER BY id LIMIT 1").first?[0])
        let directory = try TestEnvironment.run(["ledger_rollforward"], from: "2026-11-01", to: "2026-11-08", userID: user)
        let rows = Array(try TestEnvironment.csv(directory + "/ledger_rollforward.csv").dropFirst())
        let expected = try TestEnvironment.query("""
            SELECT round(coalesce((SELECT balance_after FROM credit_transactions t JOIN credit_accounts a ON a.id = t.account_id
                                   WHERE a.user_id = $1::uuid AND t.created_at < $2::timestamptz
                                   ORDER BY t.created_at DESC, t.id DESC LIMIT 1), 0), 4)::text
            """, [user, window.to.utcText])
        #expect(rows.count == 7 && rows.last?[8] == expected.first?[0])
    }

    @Test func theWorkbookHoldsTheCSVsNumbers() throws {
        let window = try ReportWindow(from: "2026-11-10", to: "2026-11-20", zone: .utc)
        let directory = try Self.run(url: ReconciliationTests.environment("KEEN_TEST_PLANTED_URL"), window: window, formats: [.csv, .xlsx])
        let workbook = try Workbook.read(directory + "/ledger_rollforward.xlsx")
        #expect(workbook.sheets.map(\.name) == ["ledger_rollforward", "About"])
        expectWorkbookEqualsCSV([try workbook.sheet("ledger_rollforward")], try TestEnvironment.csv(directory + "/ledger_rollforward.csv"),
                                columns: try TestEnvironment.catalog().report(named: "ledger_rollforward").outputs[0].columns,
                                "ledger_rollforward")
        // Amounts are numbers finance can sum, never text.
        let cells = try workbook.sheet("ledger_rollforward").rows.dropFirst().flatMap { $0.dropFirst().prefix(9) }
        #expect(cells.allSatisfy { $0?.t == "n" })
    }
}

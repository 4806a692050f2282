import Foundation
import Testing
@testable import KeenReports

/// Reconciliation on generated data: clean data is clean, and data with one
/// planted instance of every discrepancy yields exactly the planted set.
@Suite struct ReconciliationTests {
    static let plantedWindow = try! ReportWindow(from: "2026-11-10", to: "2026-11-20", zone: .utc)

    static func environment(_ name: String) throws -> String {
        try #require(ProcessInfo.processInfo.environment[name], "\(name) is set by scripts/test")
    }

    static func reconcile(url: String, window: ReportWindow = plantedWindow, tolerance: String = "0",
                          stripeExport: String?) throws -> (Reconciler.Outcome, String) {
        let directory = try TestEnvironment.temporaryDirectory()
        let options = try Reconciler.Options(window: window, tolerance: ExactDecimal(tolerance)!, stripeExport: stripeExport)
        let outcome = try Reconciler(catalog: TestEnvironment.catalog())
            .run(options, connection: ConnectionSettings(conninfo: url), output: directory)
        return (outcome, directory)
    }

    /// (type, account_id, transaction_id, session_id, payment_intent_id) of each row.
    static func keys(_ rows: [[String]]) -> [String] {
        rows.map { [$0[0], $0[1], $0[3], $0[4], $0[5]].joined(separator: "|") }.sorted()
    }

    static func planted(excluding types: Set<String> = []) throws -> [String] {
        let connection = try PostgresConnection(ConnectionSettings(conninfo: environment("KEEN_TEST_PLANTED_URL")))
        return try connection.execute("""
            SELECT type, coalesce(account_id::text, ''), coalesce(transaction_id::text, ''), coalesce(session_id::text, ''),
                   coalesce(payment_intent_id, '') FROM keen_gen.planted
            """).rows.filter { !types.contains($0[0]!) }.map { $0.map { $0! }.joined(separator: "|") }.sorted()
    }

    @Test func findsExactlyThePlantedDiscrepancies() throws {
        let (outcome, directory) = try Self.reconcile(url: Self.environment("KEEN_TEST_PLANTED_URL"),
                                                      stripeExport: Self.environment("KEEN_TEST_STRIPE_PLANTED"))
        let rows = Array(try TestEnvironment.csv(directory + "/reconciliation_discrepancies.csv").dropFirst())
        let planted = try Self.planted()
        // CLOSED_PERIOD_CHANGED needs a closed month and a night after it: MonthCloseTests.
        #expect(Set(planted.map { $0.split(separator: "|", omittingEmptySubsequences: false)[0] }).count == DiscrepancyType.allCases.count - 1,
                "every type of a reconcile is planted")
        #expect(Self.keys(rows) == planted)
        #expect(outcome.exitStatus == .discrepancies)
        let summary = try TestEnvironment.json(directory + "/reconciliation_summary.json")
        #expect(summary["status"] as? String == "discrepancies")
        let counts = try #require(summary["discrepancy_counts"] as? [String: Int])
        #expect(counts.count == DiscrepancyType.allCases.count)
        #expect(counts["DUPLICATE_PAYMENT_INTENT"] == 2 && counts["CHAIN_BREAK"] == 1)
        #expect(rows.map { "\($0[0])|\($0[1])|\($0[3])|\($0[5])|\($0[4])" } == rows.map { "\($0[0])|\($0[1])|\($0[3])|\($0[5])|\($0[4])" }
            .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }, "rows in the spec's order")
    }

    @Test func namesAmountsWithFourPlaces() throws {
        let (_, directory) = try Self.reconcile(url: Self.environment("KEEN_TEST_PLANTED_URL"),
                                                stripeExport: Self.environment("KEEN_TEST_STRIPE_PLANTED"))
        let rows = Array(try TestEnvironment.csv(directory + "/reconciliation_discrepancies.csv").dropFirst())
        let chain = try #require(rows.first { $0[0] == "CHAIN_BREAK" })
        #expect(chain[6] == "51.0000" && chain[7] == "52.0000")
        let sign = try #require(rows.first { $0[0] == "SIGN_VIOLATION" })
        #expect(sign[6] == "" && sign[7] == "2.0000")
        let orphan = try #require(rows.first { $0[0] == "MISSING_IN_LEDGER" })
        #expect(orphan[7] == "1250.0000")
        let currency = try #require(rows.first { $0[0] == "UNSUPPORTED_CURRENCY" })
        #expect(currency[6] == "usd" && currency[7] == "eur")
        let json = try TestEnvironment.json(directory + "/reconciliation_discrepancies.json")
        let jsonRows = try #require(json["rows"] as? [[String: Any]])
        #expect(jsonRows.count == rows.count)
        #expect(jsonRows.first { $0["type"] as? String == "CHAIN_BREAK" }?["expected"] as? String == "51.0000")
    }

    @Test func toleranceLetsSmallDifferencesThrough() throws {
        let (_, directory) = try Self.reconcile(url: Self.environment("KEEN_TEST_PLANTED_URL"), tolerance: "1",
                                                stripeExport: Self.environment("KEEN_TEST_STRIPE_PLANTED"))
        let rows = Array(try TestEnvironment.csv(directory + "/reconciliation_discrepancies.csv").dropFirst())
        // The planted differences of 1 or less: chain (1), session cost (0.5), Stripe amount (1.00), lifetime spent (0.5).
        #expect(Self.keys(rows) == (try Self.planted(excluding: ["CHAIN_BREAK", "SESSION_COST_MISMATCH", "AMOUNT_MISMATCH",
                                                                 "LIFETIME_SPENT_MISMATCH"])))
    }

    @Test func cleanDataIsClean() throws {
        let (outcome, directory) = try Self.reconcile(url: TestEnvironment.databaseURL(),
                                                      stripeExport: Self.environment("KEEN_TEST_STRIPE_CLEAN"))
        #expect(outcome.clean && outcome.exitStatus == .clean)
        #expect(try TestEnvironment.csv(directory + "/reconciliation_discrepancies.csv").count == 1, "header only")
        let json = try TestEnvironment.json(directory + "/reconciliation_discrepancies.json")
        #expect(json["row_count"] as? Int == 0 && (json["rows"] as? [Any])?.isEmpty == true)
        let summary = try TestEnvironment.json(directory + "/reconciliation_summary.json")
        #expect(summary["status"] as? String == "clean" && summary["balanced"] as? Bool == true)
    }

    @Test(arguments: [("2026-11-01", "2026-12-01", "UTC"), ("2026-10-31", "2026-11-03", "America/New_York")])
    func summaryAgreesWithIndependentSQL(from: String, to: String, tz: String) throws {
        let window = try ReportWindow(from: from, to: to, zone: ReportTimeZone(identifier: tz)!)
        let (_, directory) = try Self.reconcile(url: TestEnvironment.databaseURL(), window: window, stripeExport: nil)
        let summary = try TestEnvironment.json(directory + "/reconciliation_summary.json")
        let bounds: [String?] = [window.from.utcText, window.to.utcText]
        let balances = try TestEnvironment.query("""
            WITH last_before AS (
                SELECT a.id,
                       (SELECT t.balance_after FROM credit_transactions t WHERE t.account_id = a.id AND t.created_at < $1::timestamptz
                        ORDER BY t.created_at DESC, t.id DESC LIMIT 1) AS opening,
                       (SELECT t.balance_after FROM credit_transactions t WHERE t.account_id = a.id AND t.created_at < $2::timestamptz
                        ORDER BY t.created_at DESC, t.id DESC LIMIT 1) AS closing
                FROM credit_accounts a
            )
            SELECT round(coalesce(sum(opening), 0), 4)::text, round(coalesce(sum(closing), 0), 4)::text,
                   (SELECT round(coalesce(sum(amount), 0), 4)::text FROM credit_transactions
                    WHERE created_at >= $1::timestamptz AND created_at < $2::timestamptz)
            FROM last_before
            """, bounds)[0]
        #expect(summary["opening_balance_total"] as? String == balances[0])
        #expect(summary["closing_balance_total"] as? String == balances[1])
        #expect(summary["net_change"] as? String == balances[2])
        #expect(summary["balanced"] as? Bool == true)
        let byType = try #require(summary["transactions_by_type"] as? [String: [String: Any]])
        for row in try TestEnvironment.query("""
            SELECT transaction_type, count(*)::text, round(sum(amount), 4)::text FROM credit_transactions
            WHERE created_at >= $1::timestamptz AND created_at < $2::timestamptz GROUP BY 1
            """, bounds) {
            #expect(byType[row[0]!]?["count"] as? Int == Int(row[1]!), "\(row[0]!) count")
            #expect(byType[row[0]!]?["sum"] as? String == row[2], "\(row[0]!) sum")
        }
        let byStatus = try #require(summary["transactions_by_reconciliation_status"] as? [String: [String: Any]])
        for row in try TestEnvironment.query("""
            SELECT coalesce(reconciliation_status, 'unset'), count(*)::text, round(sum(amount), 4)::text FROM credit_transactions
            WHERE created_at >= $1::timestamptz AND created_at < $2::timestamptz GROUP BY 1
            """, bounds) {
            #expect(byStatus[row[0]!]?["count"] as? Int == Int(row[1]!), "\(row[0]!) count")
            #expect(byStatus[row[0]!]?["sum"] as? String == row[2], "\(row[0]!) sum")
        }
    }

    @Test func commandExitsOneOnDiscrepanciesAndZeroWhenClean() throws {
        let planted = try runKeenReports(["reconcile", "--from", "2026-11-10", "--to", "2026-11-20",
                                          "--output-dir", try TestEnvironment.temporaryDirectory(),
                                          "--stripe-export", Self.environment("KEEN_TEST_STRIPE_PLANTED")],
                                         environment: ["KEEN_DATABASE_URL": Self.environment("KEEN_TEST_PLANTED_URL")])
        #expect(planted.status == 1, "\(planted.stderr)")
        let clean = try runKeenReports(["reconcile", "--from", "2026-11-10", "--to", "2026-11-20",
                                        "--output-dir", try TestEnvironment.temporaryDirectory(),
                                        "--stripe-export", Self.environment("KEEN_TEST_STRIPE_CLEAN")])
        #expect(clean.status == 0, "\(clean.stderr)")
    }

    @Test func aMalformedExportIs65AndWritesNothing() throws {
        let directory = try TestEnvironment.temporaryDirectory()
        let export = directory + "/../bad-\(UUID().uuidString).csv"
        try "id,Created date (UTC),Amount,Amount Refunded,Currency,Status,Customer ID\npi_1,2026-11-15 10:00,12.5O,0.00,usd,Paid,cus_1\n"
            .write(toFile: export, atomically: true, encoding: .utf8)
        let result = try runKeenReports(["reconcile", "--from", "2026-11-10", "--to", "2026-11-20", "--output-dir", directory,
                                         "--stripe-export", export])
        #expect(result.status == 65)
        #expect(result.stderr.contains("line 2") && result.stderr.contains("'Amount'") && result.stderr.contains("bad-"))
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
        for arguments in [["--tolerance", "-1"], ["--tolerance", "abc"]] {
            let usage = try runKeenReports(["reconcile", "--from", "2026-11-10", "--to", "2026-11-20", "--output-dir", directory] + arguments)
            #expect(usage.status == 64, "\(arguments)")
        }
    }
}

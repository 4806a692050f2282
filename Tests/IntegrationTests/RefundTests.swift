import Foundation
import Testing
@testable import KeenReports

/// The refund checks on the planted database, each window compared with an
/// independent SQL computation of REPORTS.md's rules over the ledger and the
/// Stripe payments the export was written from (`keen_gen.stripe_payments`).
@Suite struct RefundTests {
    static let refundTypes: Set<String> = ["REFUND_WITHOUT_PURCHASE", "REFUND_EXCEEDS_PURCHASE", "REFUND_MISMATCH", "SIGN_VIOLATION"]

    /// (type, account_id, transaction_id, payment_intent_id) per row REPORTS.md expects in [from, to).
    static func expected(from: Timestamp, to: Timestamp) throws -> [String] {
        let connection = try PostgresConnection(ConnectionSettings(conninfo: ReconciliationTests.environment("KEEN_TEST_PLANTED_URL")))
        return try connection.execute("""
            WITH t AS (
                SELECT *, created_at >= $1::timestamptz AND created_at < $2::timestamptz AS inside FROM credit_transactions
            ), purchases AS (
                SELECT stripe_payment_intent_id AS intent, count(*) AS n, min(amount) AS amount, bool_or(inside) AS inside,
                       (array_agg(id ORDER BY created_at, id))[1] AS first_id,
                       (array_agg(account_id ORDER BY created_at, id))[1] AS account_id
                FROM t WHERE transaction_type = 'purchase' AND stripe_payment_intent_id IS NOT NULL GROUP BY 1
            ), refunds AS (
                SELECT stripe_payment_intent_id AS intent, -sum(amount) AS refunded, bool_or(inside) AS inside
                FROM t WHERE transaction_type = 'refund' AND stripe_payment_intent_id IS NOT NULL GROUP BY 1
            ), payments AS (
                SELECT DISTINCT ON (id) * FROM keen_gen.stripe_payments
                WHERE lower(status) IN ('paid', 'succeeded', 'refunded', 'partially refunded') AND lower(currency) = 'usd'
                ORDER BY id, created
            )
            SELECT 'REFUND_WITHOUT_PURCHASE', account_id::text, id::text, stripe_payment_intent_id FROM t
            WHERE inside AND transaction_type = 'refund' AND stripe_payment_intent_id IS NOT NULL
              AND stripe_payment_intent_id NOT IN (SELECT intent FROM purchases)
            UNION ALL
            SELECT 'REFUND_EXCEEDS_PURCHASE', p.account_id::text, p.first_id::text, p.intent
            FROM purchases p JOIN refunds r USING (intent) WHERE p.n = 1 AND r.inside AND r.refunded > p.amount
            UNION ALL
            SELECT 'SIGN_VIOLATION', account_id::text, id::text, '' FROM t
            WHERE inside AND ((transaction_type = 'purchase' AND amount <= 0) OR (transaction_type = 'usage' AND amount >= 0)
                              OR (transaction_type = 'refund' AND stripe_payment_intent_id IS NOT NULL AND amount >= 0)
                              OR (transaction_type = 'refund' AND stripe_payment_intent_id IS NULL AND amount <= 0))
            UNION ALL
            SELECT 'REFUND_MISMATCH', p.account_id::text, p.first_id::text, p.intent
            FROM purchases p JOIN payments s ON s.id = p.intent LEFT JOIN refunds r USING (intent)
            WHERE (p.inside OR (s.created >= $1::timestamptz AND s.created < $2::timestamptz) OR coalesce(r.inside, false))
              AND coalesce(r.refunded, 0) <> s.amount_refunded
            """, [from.utcText, to.utcText]).rows.map { $0.map { $0 ?? "" }.joined(separator: "|") }.sorted()
    }

    @Test(arguments: [("2026-11-10", "2026-11-20", "UTC"), ("2026-11-19", "2026-11-23", "UTC"),
                      ("2026-11-01", "2026-11-12", "America/New_York"),
                      ("2026-11-14T10:30:00Z", "2026-11-15T12:00:00Z", "UTC")])
    func refundChecksAgreeWithIndependentSQL(from: String, to: String, tz: String) throws {
        let window = try ReportWindow(from: from, to: to, zone: #require(ReportTimeZone(identifier: tz)))
        let (_, directory) = try ReconciliationTests.reconcile(url: ReconciliationTests.environment("KEEN_TEST_PLANTED_URL"), window: window,
                                                               stripeExport: ReconciliationTests.environment("KEEN_TEST_STRIPE_PLANTED"))
        let rows = Array(try TestEnvironment.csv(directory + "/reconciliation_discrepancies.csv").dropFirst())
        let found = rows.filter { Self.refundTypes.contains($0[0]) }.map { [$0[0], $0[1], $0[3], $0[5]].joined(separator: "|") }.sorted()
        #expect(found == (try Self.expected(from: window.from, to: window.to)), "\(from) to \(to)")
    }

    @Test func theWindowOfThePlantedRefundsFindsEachKindOnce() throws {
        let expected = try Self.expected(from: ReconciliationTests.plantedWindow.from, to: ReconciliationTests.plantedWindow.to)
        for type in ["REFUND_WITHOUT_PURCHASE", "REFUND_EXCEEDS_PURCHASE", "REFUND_MISMATCH"] {
            #expect(expected.filter { $0.hasPrefix(type + "|") }.count == 1, "\(type) is planted once")
        }
        // What must not be reported: a refund matching Stripe to the cent, a
        // full refund (status Refunded), a credit refund for a session.
        for intent in ["pi_planted_refund_ok", "pi_planted_refund_full", "pi_planted_refund_before", "pi_planted_refund_after"] {
            #expect(!expected.contains { $0.hasSuffix("|" + intent) }, "\(intent)")
        }
    }

    @Test func theSummaryCountsRefundsByKindAndAgesDisputes() throws {
        let window = ReconciliationTests.plantedWindow
        let (_, directory) = try ReconciliationTests.reconcile(url: ReconciliationTests.environment("KEEN_TEST_PLANTED_URL"),
                                                               stripeExport: nil)
        let summary = try TestEnvironment.json(directory + "/reconciliation_summary.json")
        let refunds = try #require(summary["refunds"] as? [String: [String: Any]])
        let connection = try PostgresConnection(ConnectionSettings(conninfo: ReconciliationTests.environment("KEEN_TEST_PLANTED_URL")))
        let bounds = [window.from.utcText, window.to.utcText]
        for row in try connection.execute("""
            SELECT CASE WHEN stripe_payment_intent_id IS NULL THEN 'credit' ELSE 'payment' END, count(*)::text, round(sum(amount), 4)::text
            FROM credit_transactions WHERE transaction_type = 'refund' AND created_at >= $1::timestamptz AND created_at < $2::timestamptz
            GROUP BY 1
            """, bounds).rows {
            #expect(refunds[row[0]!]?["count"] as? Int == Int(row[1]!) && refunds[row[0]!]?["sum"] as? String == row[2], "\(row[0]!)")
        }
        let ageing = try #require(summary["disputed_ageing"] as? [String: [String: Any]])
        #expect(Array(ageing.keys).sorted() == ["0_1_days", "2_7_days", "8_30_days", "over_30_days"])
        for row in try connection.execute("""
            WITH aged AS (
                SELECT amount, floor(extract(epoch FROM ($1::timestamptz - created_at)) / 86400) AS days
                FROM credit_transactions WHERE reconciliation_status = 'disputed' AND created_at < $1::timestamptz
            )
            SELECT CASE WHEN days <= 1 THEN '0_1_days' WHEN days <= 7 THEN '2_7_days' WHEN days <= 30 THEN '8_30_days'
                        ELSE 'over_30_days' END, count(*)::text, round(sum(amount), 4)::text
            FROM aged GROUP BY 1
            """, [window.to.utcText]).rows {
            #expect(ageing[row[0]!]?["count"] as? Int == Int(row[1]!) && ageing[row[0]!]?["sum"] as? String == row[2], "\(row[0]!)")
        }
    }
}

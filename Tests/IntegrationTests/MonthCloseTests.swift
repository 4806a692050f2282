import Foundation
import Testing
@testable import KeenReports

/// Closing November on the planted data, then changing it: the digest of
/// `closes/2026-11.json` is checked against psql's own SHA-256 of the same
/// rows, and every night after reports exactly the rows that changed.
@Suite(.serialized) struct MonthCloseTests {
    static var url: String { get throws { try ReconciliationTests.environment("KEEN_TEST_CLOSE_URL") } }
    static var stripe: String { get throws { try ReconciliationTests.environment("KEEN_TEST_STRIPE_PLANTED") } }

    static func keen(_ arguments: [String], url: String? = nil) throws -> CommandResult {
        try runKeenReports(arguments, environment: ["KEEN_DATABASE_URL": try url ?? Self.url])
    }

    static func night(_ day: String, into directory: String) throws -> [[String: String]] {
        let result = try keen(["nightly", "--date", day, "--output-dir", directory, "--stripe-export", try stripe])
        #expect(result.status == 1, "\(day): \(result.stderr)")
        let records = try TestEnvironment.csv(directory + "/\(day)/reconciliation_discrepancies.csv")
        return records.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(records[0], $0)) }
            .filter { $0["type"] == "CLOSED_PERIOD_CHANGED" }
    }

    /// psql's digest of November's rows, in the close's order and line.
    static func sqlDigest(url: String) throws -> (sha256: String, rows: String) {
        let row = try TestEnvironment.query("""
            SELECT encode(sha256(convert_to(coalesce(string_agg(concat_ws('|', id::text, transaction_type::text, amount::text,
                       balance_after::text, user_id::text, account_id::text, coalesce(stripe_payment_intent_id, ''),
                       coalesce(session_id::text, ''), to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
                       || E'\\n', '' ORDER BY created_at, id), ''), 'UTF8')), 'hex'), count(*)::text
            FROM credit_transactions WHERE created_at >= '2026-11-01T00:00:00Z' AND created_at < '2026-12-01T00:00:00Z'
            """, url: url)[0]
        return (row[0] ?? "", row[1] ?? "")
    }

    @Test func aClosedMonthStaysClosed() throws {
        let url = try Self.url
        let directory = try TestEnvironment.temporaryDirectory()
        let backfill = try Self.keen(["nightly", "--from-date", "2026-11-01", "--to-date", "2026-11-30", "--output-dir", directory,
                                      "--stripe-export", try Self.stripe])
        #expect(backfill.status == 1, "\(backfill.stderr)")
        let closeFile = directory + "/closes/2026-11.json"

        // The planted exceptions are open: refused, nothing written.
        let refused = try Self.keen(["close", "--month", "2026-11", "--output-dir", directory])
        #expect(refused.status == 1 && refused.stderr.contains("open exception"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: closeFile))

        let reason = "planted test anomalies, known to finance"
        let closed = try Self.keen(["close", "--month", "2026-11", "--output-dir", directory, "--accept-open", reason])
        #expect(closed.status == 0, "\(closed.stderr)")
        let close = try TestEnvironment.json(closeFile)
        let sql = try Self.sqlDigest(url: url)
        #expect(close["sha256"] as? String == sql.sha256 && (close["row_count"] as? NSNumber)?.stringValue == sql.rows, "\(close)")
        #expect(close["closed_by"] as? String == "postgres")
        let open = try #require(close["open_exceptions"] as? [String: Any])
        let register = try TestEnvironment.csv(directory + "/2026-11-30/exceptions.csv").dropFirst().filter { $0[0] == "open" }
        #expect(open["accepted"] as? String == reason && (open["exceptions"] as? [Any])?.count == register.count)
        let rollforward = try #require(close["rollforward"] as? [String: Any])
        let days = try TestEnvironment.csv(directory + "/2026-11-01/ledger_rollforward.csv")
        #expect(rollforward["opening_balance"] as? String == days[1][1], "the month opens where its first day does")
        let permissions = try FileManager.default.attributesOfItem(atPath: closeFile)[.posixPermissions] as? Int
        #expect(permissions.map { $0 & 0o007 } == 0, "a close holds money: not world-readable")
        let again = try Self.keen(["close", "--month", "2026-11", "--output-dir", directory, "--accept-open", reason])
        #expect(again.status == 1 && again.stderr.contains("closed already"), "\(again.stderr)")

        // Nights after it: nothing changed; marking statuses is not a change.
        #expect(try Self.night("2026-12-01", into: directory).isEmpty)
        let verified = try #require(try TestEnvironment.json(directory + "/2026-12-01/reconciliation_summary.json")["closed_periods"] as? [[String: Any]])
        #expect(verified.count == 1 && verified[0]["month"] as? String == "2026-11" && verified[0]["changed"] as? Bool == false)
        let marked = try Self.keen(["reconcile", "--mark", "--from", "2026-11-01", "--to", "2026-12-01", "--stripe-export", try Self.stripe,
                                    "--output-dir", try TestEnvironment.temporaryDirectory()])
        #expect(marked.status == 1 && marked.stdout.contains("marked:"), "\(marked.stderr)")
        #expect(try TestEnvironment.count("SELECT count(*) FROM audit_log", url: url) > 0)
        #expect(try Self.night("2026-12-02", into: directory).isEmpty)

        // A backdated adjustment, a deleted row and a changed amount.
        let account = try #require(try TestEnvironment.query("""
            SELECT a.id::text, a.user_id::text FROM credit_accounts a
            WHERE EXISTS (SELECT 1 FROM credit_transactions t WHERE t.account_id = a.id) ORDER BY a.id LIMIT 1
            """, url: url).first)
        let inserted = try #require(try TestEnvironment.query("""
            INSERT INTO credit_transactions (account_id, user_id, transaction_type, amount, balance_after, description, created_at)
            VALUES ($1, $2, 'adjustment', 5.0000, 0, 'backdated goodwill', '2026-11-20T12:00:00Z') RETURNING id::text
            """, [account[0], account[1]], url: url).first?[0])
        let victims = try TestEnvironment.query("""
            SELECT id::text, amount::text FROM credit_transactions
            WHERE created_at >= '2026-11-03' AND created_at < '2026-11-04' AND transaction_type = 'usage' ORDER BY id LIMIT 2
            """, url: url)
        let (deleted, deletedAmount) = (try #require(victims[0][0]), try #require(ExactDecimal(victims[0][1]!)))
        let (changed, changedAmount) = (try #require(victims[1][0]), try #require(victims[1][1]))
        let saved = try #require(try TestEnvironment.query("SELECT row_to_json(t)::text FROM credit_transactions t WHERE id = $1",
                                                           [deleted], url: url).first?[0])
        _ = try TestEnvironment.query("DELETE FROM credit_transactions WHERE id = $1", [deleted], url: url)
        _ = try TestEnvironment.query("UPDATE credit_transactions SET amount = amount - 1 WHERE id = $1", [changed], url: url)

        let verified3 = try Self.keen(["close", "--month", "2026-11", "--verify", "--output-dir", directory])
        #expect(verified3.status == 1 && verified3.stdout.contains("3 rows differ"), "\(verified3.stdout) \(verified3.stderr)")
        let found = try Self.night("2026-12-03", into: directory)
        #expect(Set(found.map { $0["transaction_id"]! }) == [inserted, deleted, changed] && found.count == 3, "\(found)")
        let moved = ExactDecimal(5) - deletedAmount - ExactDecimal(1)
        #expect(found.allSatisfy { $0["detail"]!.hasPrefix("2026-11 was closed") && $0["detail"]!.contains("moved by \(moved.formatted(places: 4))") },
                "\(found.map { $0["detail"]! })")
        #expect(found.first { $0["transaction_id"] == changed }?["expected"] == changedAmount)
        let summary = try TestEnvironment.json(directory + "/2026-12-03/reconciliation_summary.json")
        let month = try #require((summary["closed_periods"] as? [[String: Any]])?.first)
        #expect(month["rows_added"] as? Int == 1 && month["rows_removed"] as? Int == 1 && month["rows_changed"] as? Int == 1, "\(month)")
        let page = try String(contentsOfFile: directory + "/2026-12-03/index.html", encoding: .utf8)
        #expect(page.contains("A closed month changed"), "the headline says so")
        let manifest = try TestEnvironment.json(directory + "/2026-12-03/manifest.json")
        #expect(manifest["exit_status"] as? Int == 1)

        // Put back as it was: the night after finds nothing, and the register closes the three.
        _ = try TestEnvironment.query("DELETE FROM credit_transactions WHERE id = $1", [inserted], url: url)
        _ = try TestEnvironment.query("INSERT INTO credit_transactions SELECT * FROM json_populate_record(NULL::credit_transactions, $1::json)",
                                      [saved], url: url)
        _ = try TestEnvironment.query("UPDATE credit_transactions SET amount = amount + 1 WHERE id = $1", [changed], url: url)
        #expect(try Self.night("2026-12-04", into: directory).isEmpty)
        let verified4 = try Self.keen(["close", "--month", "2026-11", "--verify", "--output-dir", directory])
        #expect(verified4.status == 0 && verified4.stdout.contains("as it was closed"), "\(verified4.stdout) \(verified4.stderr)")
        let closedTonight = try TestEnvironment.csv(directory + "/2026-12-04/exceptions.csv").dropFirst()
            .filter { $0[0] == "closed" && $0[2] == "CLOSED_PERIOD_CHANGED" }
        #expect(closedTonight.count == 3 && closedTonight.allSatisfy { $0[11] == "no_longer_reported" }, "\(closedTonight)")
    }

    @Test func aRoleRowLevelSecurityBlindsCannotClose() throws {
        let tenant = try DatabaseRoles.create(["CREATE ROLE keen_close_tenant LOGIN IN ROLE application_user"], in: try Self.url)
        let result = try Self.keen(["close", "--month", "2026-10", "--output-dir", try TestEnvironment.temporaryDirectory(),
                                    "--accept-open", "no register here"], url: tenant)
        #expect(result.status == 77 && result.stderr.contains("row-level security"), "\(result.stderr)")
    }
}

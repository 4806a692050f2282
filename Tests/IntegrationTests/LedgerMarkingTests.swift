import Foundation
import Testing
@testable import KeenReports

/// `reconcile --mark` on a copy of the planted database (WRITES.md), run as
/// the role the README documents and checked against an independent SQL
/// computation of the rules.
@Suite(.serialized) struct LedgerMarkingTests {
    static let window = ["--from", "2026-11-10", "--to", "2026-11-20"]
    /// Another window of the same copy, for the fault tests.
    static let faultWindow = ["--from", "2026-10-01", "--to", "2026-11-01"]

    static var adminURL: String { get throws { try ReconciliationTests.environment("KEEN_TEST_MARKING_URL") } }
    static var stripe: String { get throws { try ReconciliationTests.environment("KEEN_TEST_STRIPE_PLANTED") } }

    /// The README's role for marking, exactly.
    static let reconciler = [
        "CREATE ROLE keen_reconciler LOGIN BYPASSRLS",
        "GRANT SELECT ON users, credit_accounts, credit_transactions, agent_sessions, system_metrics TO keen_reconciler",
        "GRANT UPDATE (reconciliation_status) ON credit_transactions TO keen_reconciler",
        "GRANT INSERT ON audit_log TO keen_reconciler",
        "GRANT USAGE ON SEQUENCE audit_log_id_seq TO keen_reconciler",
    ]
    /// The same without the column privilege.
    static let withoutUpdate = [
        "CREATE ROLE keen_reconciler_readonly LOGIN BYPASSRLS",
        "GRANT SELECT ON users, credit_accounts, credit_transactions, agent_sessions, system_metrics TO keen_reconciler_readonly",
        "GRANT INSERT ON audit_log TO keen_reconciler_readonly",
        "GRANT USAGE ON SEQUENCE audit_log_id_seq TO keen_reconciler_readonly",
    ]

    static func role(_ statements: [String], application: String = "keen_marking_test") throws -> String {
        try DatabaseRoles.create(statements, in: adminURL, application: application)
    }

    static func mark(_ url: String, _ window: [String] = window, dryRun: Bool = false) throws -> (CommandResult, String) {
        let directory = try TestEnvironment.temporaryDirectory()
        let result = try runKeenReports(["reconcile", "--stripe-export", stripe, "--mark", "--output-dir", directory]
                                        + (dryRun ? ["--dry-run"] : []) + window, environment: ["KEEN_DATABASE_URL": url])
        return (result, directory)
    }

    static func statuses() throws -> [String: String] {
        let connection = try PostgresConnection(ConnectionSettings(conninfo: adminURL))
        return Dictionary(uniqueKeysWithValues: try connection.execute(
            "SELECT id::text, coalesce(reconciliation_status, '') FROM credit_transactions").rows.map { ($0[0]!, $0[1]!) })
    }

    /// What the rules of WRITES.md make of the ledger, computed in SQL from
    /// the planted ground truth and the Stripe export, as id → new status.
    static func expectedMarks(from before: [String: String], window: (String, String)) throws -> [String: String] {
        let connection = try PostgresConnection(ConnectionSettings(conninfo: adminURL))
        let export = try TestEnvironment.csv(stripe)
        let header = export[0]
        func column(_ name: String) -> Int { header.firstIndex(of: name)! }
        let rows = export.dropFirst()
        func array(_ name: String, _ transform: (String) -> String = { $0 }) -> String {
            ArrayLiteral.text(rows.map { transform($0[column(name)]) })
        }
        let marks = try connection.execute("""
            WITH stripe AS (
                SELECT DISTINCT ON (id) id, amount::numeric AS amount, currency, status, customer
                FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY
                     AS s(id, amount, currency, status, customer, line)
                ORDER BY id, line
            ), in_window AS (
                SELECT t.* FROM credit_transactions t WHERE t.created_at >= $6::timestamptz AND t.created_at < $7::timestamptz
            ), disputed AS (
                SELECT DISTINCT w.id FROM in_window w JOIN keen_gen.planted p ON p.transaction_id = w.id
            ), reconciled AS (
                SELECT w.id FROM in_window w
                JOIN credit_accounts a ON a.id = w.account_id JOIN users u ON u.id = a.user_id
                JOIN stripe s ON s.id = w.stripe_payment_intent_id
                WHERE w.transaction_type = 'purchase' AND lower(s.status) IN ('paid', 'succeeded', 'refunded', 'partially refunded') AND s.currency = 'usd'
                  AND s.amount = w.amount AND s.customer = coalesce(u.billing_customer_id, '')
                  AND w.id NOT IN (SELECT id FROM disputed)
            )
            SELECT id::text, 'disputed' FROM disputed UNION ALL SELECT id::text, 'reconciled' FROM reconciled
            """, [array("id"), array("Amount") { $0.replacingOccurrences(of: ",", with: "") }, array("Currency") { $0.lowercased() },
                  array("Status"), array("Customer ID"), window.0, window.1]).rows
        var expected: [String: String] = [:]
        for mark in marks where ["", "pending"].contains(before[mark[0]!] ?? "") { expected[mark[0]!] = mark[1]! }
        return expected
    }

    @Test func marksExactlyWhatTheRulesSayOnceAndChangesNothingElse() throws {
        let url = try Self.role(Self.reconciler)
        let before = try Self.statuses()
        let auditBefore = try TestEnvironment.count("SELECT count(*) FROM audit_log", url: Self.adminURL)
        let lastAudit = Int64(try TestEnvironment.count("SELECT coalesce(max(id), 0) FROM audit_log", url: Self.adminURL))
        let digests = try TableDigests.read(adminURL: Self.adminURL, ignoring: ["credit_transactions": ["reconciliation_status"]],
                                            auditThrough: lastAudit)

        // A dry run changes nothing and lists what the real run then changes.
        let (dry, dryDirectory) = try Self.mark(url, dryRun: true)
        #expect(dry.status == 1, "\(dry.stderr)")
        #expect(try Self.statuses() == before)
        let dryMarks = try TestEnvironment.csv(dryDirectory + "/reconciliation_marks.csv")

        let (result, directory) = try Self.mark(url)
        #expect(result.status == 1, "discrepancies remain: \(result.stderr)")
        let after = try Self.statuses()
        let changed = after.filter { before[$0.key] != $0.value }
        let expected = try Self.expectedMarks(from: before, window: ("2026-11-10T00:00:00Z", "2026-11-20T00:00:00Z"))
        #expect(changed == expected)
        #expect(expected.values.contains("disputed") && expected.values.contains("reconciled"))
        // Every planted discrepancy's transaction in the window that was open is disputed.
        let planted = try TestEnvironment.query("""
            SELECT DISTINCT p.transaction_id::text FROM keen_gen.planted p JOIN credit_transactions t ON t.id = p.transaction_id
            WHERE t.created_at >= '2026-11-10Z' AND t.created_at < '2026-11-20Z'
            """, url: Self.adminURL).map { $0[0]! }
        let open = planted.filter { ["", "pending"].contains(before[$0] ?? "") }
        #expect(open.count >= 5 && open.allSatisfy { after[$0] == "disputed" })
        // A status someone already decided (the generated data has one planted purchase 'reconciled') stands.
        #expect(planted.filter { !open.contains($0) }.allSatisfy { after[$0] == before[$0] })

        // The marks file, the summary and one audit row per change.
        let marks = try TestEnvironment.csv(directory + "/reconciliation_marks.csv")
        #expect(marks[0] == ["transaction_id", "account_id", "user_id", "old_status", "new_status", "reason"])
        #expect(Dictionary(uniqueKeysWithValues: marks.dropFirst().map { ($0[0], $0[4]) }) == expected)
        #expect(marks.dropFirst().map { $0[0] } == marks.dropFirst().map { $0[0] }.sorted())
        #expect(dryMarks == marks, "the dry run wrote the same marks")
        let summary = try TestEnvironment.json(directory + "/reconciliation_summary.json")
        let runID = try #require(summary["run_id"] as? String)
        let marked = try #require(summary["marked"] as? [String: Any])
        #expect(marked["reconciled"] as? Int == expected.values.filter { $0 == "reconciled" }.count)
        #expect(marked["disputed"] as? Int == expected.values.filter { $0 == "disputed" }.count)
        #expect(marked["skipped"] as? Int == 0)
        let audit = try TestEnvironment.query("""
            SELECT record_id::text, old_values->>'reconciliation_status', new_values->>'reconciliation_status', new_values->>'run'
            FROM audit_log WHERE table_name = 'credit_transactions' AND action = 'reconciliation_status' AND new_values->>'run' = $1
            """, [runID], url: Self.adminURL)
        #expect(audit.count == expected.count)
        #expect(audit.allSatisfy { expected[$0[0]!] == $0[2] && ($0[1] ?? "pending") == "pending" })
        #expect(try TestEnvironment.count("SELECT count(*) FROM audit_log", url: Self.adminURL) == auditBefore + expected.count)

        // Nothing else of any table moved.
        #expect(try TableDigests.read(adminURL: Self.adminURL, ignoring: ["credit_transactions": ["reconciliation_status"]],
                                      auditThrough: lastAudit) == digests)

        // Again: nothing to mark.
        let (again, againDirectory) = try Self.mark(url)
        #expect(again.status == 1)
        #expect(try TestEnvironment.csv(againDirectory + "/reconciliation_marks.csv").count == 1)
        #expect(try Self.statuses() == after)
    }

    /// Rows in the fault window, pending, that a run would mark.
    static func faultCandidates() throws -> [String] {
        let (dry, directory) = try mark(try role(reconciler), faultWindow, dryRun: true)
        #expect(dry.status <= 1, "\(dry.stderr)")
        return try TestEnvironment.csv(directory + "/reconciliation_marks.csv").dropFirst().map { $0[0] }
    }

    /// Runs --mark while another connection holds `row` (an uncommitted
    /// update), until the run waits for it; then `act` on the waiting run.
    static func markWhileHolding(_ row: String, status: String = "disputed", application: String,
                                 _ act: (RunningCommand, PostgresConnection) throws -> Void) throws -> CommandResult {
        let holder = try PostgresConnection(ConnectionSettings(conninfo: adminURL))
        try holder.execute("BEGIN")
        try holder.execute("UPDATE credit_transactions SET reconciliation_status = $2 WHERE id = $1", [row, status])
        let url = try role(reconciler, application: application)
        let command = try RunningCommand(["reconcile", "--stripe-export", stripe, "--mark", "--output-dir",
                                          try TestEnvironment.temporaryDirectory()] + faultWindow,
                                         environment: ["KEEN_DATABASE_URL": url])
        var waiting = false
        for _ in 0..<200 where !waiting {
            waiting = try TestEnvironment.count("""
                SELECT count(*) FROM pg_stat_activity WHERE application_name = '\(application)' AND wait_event_type = 'Lock'
                """, url: adminURL) > 0
            if !waiting { Thread.sleep(forTimeInterval: 0.05) }
        }
        #expect(waiting, "the run waits for the held row")
        try act(command, holder)
        return command.wait()
    }

    @Test func aRowChangedByHandMeanwhileIsSkippedNotOverwritten() throws {
        let candidates = try Self.faultCandidates()
        let held = try #require(candidates.first)
        let before = try Self.statuses()
        // Killed while it waits: nothing changed, and a rerun finishes.
        let killed = try Self.markWhileHolding(held, application: "keen_mark_sigkill") { command, holder in
            command.signal(SIGKILL)
            Thread.sleep(forTimeInterval: 0.3)
            try holder.execute("ROLLBACK")
        }
        #expect(killed.status != 0)
        #expect(try Self.statuses() == before, "SIGKILL: nothing changed")
        // SIGTERM: 143, rolled back.
        let terminated = try Self.markWhileHolding(held, application: "keen_mark_sigterm") { command, holder in
            command.signal(SIGTERM)
            Thread.sleep(forTimeInterval: 0.3)
            try holder.execute("ROLLBACK")
        }
        #expect(terminated.status == 143, "\(terminated.stderr)")
        #expect(try Self.statuses() == before, "SIGTERM: nothing changed")
        // The connection lost: 69 or 70, rolled back.
        let lost = try Self.markWhileHolding(held, application: "keen_mark_lost") { _, holder in
            _ = try TestEnvironment.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'keen_mark_lost'",
                                          url: Self.adminURL)
            try holder.execute("ROLLBACK")
        }
        #expect(lost.status == 69 || lost.status == 70, "\(lost.stderr)")
        #expect(try Self.statuses() == before, "lost connection: nothing changed")

        // Set to disputed by hand while the run waits: skipped and counted.
        let skipped = try Self.markWhileHolding(held, application: "keen_mark_skip") { _, holder in
            try holder.execute("COMMIT")
        }
        #expect(skipped.status <= 1, "\(skipped.stderr)")
        #expect(skipped.stdout.contains("1 skipped"), "\(skipped.stdout)")
        let after = try Self.statuses()
        #expect(after[held] == "disputed", "the person's decision stands")
        #expect(candidates.dropFirst().allSatisfy { ["reconciled", "disputed"].contains(after[$0]) }, "the rest are marked")
    }

    @Test func aRoleWithoutTheColumnPrivilegeGets77AndChangesNothing() throws {
        let url = try Self.role(Self.withoutUpdate)
        let before = try Self.statuses()
        let (result, _) = try Self.mark(url, Self.faultWindow)
        #expect(result.status == 77, "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(result.stderr.contains("UPDATE (reconciliation_status) ON credit_transactions"), "\(result.stderr)")
        #expect(try Self.statuses() == before)
    }

    @Test func markWithoutAStripeExportIs64() throws {
        let result = try runKeenReports(["reconcile", "--mark", "--output-dir", try TestEnvironment.temporaryDirectory()] + Self.window)
        #expect(result.status == 64 && result.stderr.contains("--stripe-export"), "\(result.stderr)")
    }

    @Test func theSummaryAgesWhatIsStillPending() throws {
        let directory = try TestEnvironment.temporaryDirectory()
        let options = try Reconciler.Options(window: ReconciliationTests.plantedWindow)
        _ = try Reconciler(catalog: TestEnvironment.catalog())
            .run(options, connection: ConnectionSettings(conninfo: ReconciliationTests.environment("KEEN_TEST_PLANTED_URL")), output: directory)
        let ageing = try #require(try TestEnvironment.json(directory + "/reconciliation_summary.json")["pending_ageing"] as? [String: [String: Any]])
        let expected = try TestEnvironment.query("""
            SELECT CASE WHEN age < 2 THEN '0_1_days' WHEN age <= 7 THEN '2_7_days' WHEN age <= 30 THEN '8_30_days' ELSE 'over_30_days' END,
                   count(*), sum(amount)::numeric(20,4)::text
            FROM (SELECT amount, floor(extract(epoch FROM '2026-11-20Z'::timestamptz - created_at) / 86400) AS age
                  FROM credit_transactions WHERE transaction_type = 'purchase' AND created_at < '2026-11-20Z'
                    AND coalesce(reconciliation_status, 'pending') = 'pending') AS open
            GROUP BY 1
            """, url: ReconciliationTests.environment("KEEN_TEST_PLANTED_URL"))
        #expect(Set(ageing.keys) == ["0_1_days", "2_7_days", "8_30_days", "over_30_days"])
        #expect(expected.count >= 3)
        for row in expected {
            #expect(ageing[row[0]!]?["count"] as? Int == Int(row[1]!), "\(row)")
            #expect(ageing[row[0]!]?["sum"] as? String == row[2], "\(row)")
        }
    }
}

/// WRITES.md: "it writes nothing when any step fails". The marks are made,
/// then the disk fills before the summary is written: the ledger and the
/// audit log are as they were, and no file appears.
extension LedgerMarkingTests {
    @Test func aFullDiskAfterTheMarksLeavesTheLedgerUnchanged() throws {
        let directory = try TestEnvironment.temporaryDirectory()
        let unmount = try TestEnvironment.mountSmallDisk(at: directory, size: "1m")
        defer { unmount() }
        let before = try LedgerMarkingTests.statuses()
        let audit = try TestEnvironment.count("SELECT count(*) FROM audit_log", url: LedgerMarkingTests.adminURL)
        let url = try LedgerMarkingTests.role(LedgerMarkingTests.reconciler, application: "keen_mark_full_disk")
        let window = try ReportWindow(from: "2026-11-10", to: "2026-11-20", zone: .utc)
        let options = try Reconciler.Options(window: window, stripeExport: LedgerMarkingTests.stripe,
                                             marking: LedgerMarking(dryRun: false, settings: ConnectionSettings(conninfo: url)))
        var reconciler = Reconciler(catalog: try TestEnvironment.catalog())
        var marked = false
        reconciler.afterMarking = {
            marked = true
            // Fill what is left of the disk: the summary written next finds none.
            let filler = FileHandle(forWritingAtPath: directory + "/filler") ?? {
                FileManager.default.createFile(atPath: directory + "/filler", contents: nil)
                return FileHandle(forWritingAtPath: directory + "/filler")!
            }()
            let block = Data(count: 64 * 1024)
            while (try? filler.write(contentsOf: block)) != nil {}
            try? filler.close()
        }
        #expect(throws: EngineError.self) {
            _ = try reconciler.run(options, connection: ConnectionSettings(conninfo: url), output: directory)
        }
        #expect(marked, "the marks were made before the disk filled")
        #expect(try LedgerMarkingTests.statuses() == before, "the ledger is unchanged")
        #expect(try TestEnvironment.count("SELECT count(*) FROM audit_log", url: LedgerMarkingTests.adminURL) == audit)
        #expect(try TestEnvironment.entries(directory) == ["filler"], "no reconciliation file, no temporary file")
    }
}

import Foundation
import Logging
import Testing
@testable import KeenReports

/// A night's reconciliation starts from the previous night's checkpoint and
/// reads only the ledger since: on a copy of the planted database, night
/// after night, it must find exactly what a full `reconcile` of the same day
/// finds, and history changed behind a checkpoint must be caught.
@Suite(.serialized) struct IncrementalReconciliationTests {
    static var url: String { get throws { try ReconciliationTests.environment("KEEN_TEST_HISTORY_URL") } }
    static var stripeExport: String { get throws { try ReconciliationTests.environment("KEEN_TEST_STRIPE_PLANTED") } }

    static func nights(_ first: String, _ last: String, into directory: String, full: Bool = false, fullEvery: Int = 7) throws {
        var options = NightlyRunner.Options(dates: (try #require(CivilDate(first))...#require(CivilDate(last))).days, zone: .utc,
                                            jobs: 1, stripeExport: try stripeExport, outputDirectory: directory,
                                            connection: ConnectionSettings(conninfo: try url))
        options.fullPass = full
        options.fullPassEvery = fullEvery
        _ = try NightlyRunner(catalog: TestEnvironment.catalog(), log: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }).run(options)
    }

    static func ledgerPass(_ directory: String, _ day: String) throws -> (kind: String, note: String) {
        let pass = try #require(try TestEnvironment.json(directory + "/\(day)/reconciliation_summary.json")["ledger_pass"] as? [String: String])
        return (pass["kind"] ?? "", pass["note"] ?? "")
    }

    /// `run ledger_rollforward` for one day, as CSV.
    static func runRollforward(_ day: String) throws -> [[String]] {
        let catalog = try TestEnvironment.catalog()
        let directory = try TestEnvironment.temporaryDirectory()
        let date = try #require(CivilDate(day))
        _ = try ReportRunner(catalog: catalog).run([try catalog.report(named: "ledger_rollforward")],
                                                   parameters: ReportParameters(window: ReportWindow(days: date, through: date, zone: .utc)),
                                                   connection: ConnectionSettings(conninfo: try url), output: OutputOptions(directory: directory))
        return try TestEnvironment.csv(directory + "/ledger_rollforward.csv")
    }

    /// The discrepancies of a full reconcile of one day, as CSV.
    static func fullReconcile(_ day: String) throws -> [[String]] {
        let date = try #require(CivilDate(day))
        let directory = try TestEnvironment.temporaryDirectory()
        _ = try Reconciler(catalog: TestEnvironment.catalog()).run(
            try Reconciler.Options(window: ReportWindow(days: date, through: date, zone: .utc), stripeExport: try stripeExport),
            connection: ConnectionSettings(conninfo: try url), output: directory)
        return try TestEnvironment.csv(directory + "/reconciliation_discrepancies.csv")
    }

    @Test func nightAfterNightTheIncrementalPassFindsWhatAFullPassFinds() throws {
        let directory = try TestEnvironment.temporaryDirectory()
        try Self.nights("2026-11-08", "2026-11-19", into: directory)
        var found = 0
        for date in (CivilDate("2026-11-08")!...CivilDate("2026-11-19")!).days {
            let day = date.description
            let pass = try Self.ledgerPass(directory, day)
            // A full pass the first night, and again seven days after it.
            #expect(pass.kind == (["2026-11-08", "2026-11-15"].contains(day) ? "full" : "incremental"), "\(day): \(pass)")
            let nightly = try TestEnvironment.csv(directory + "/\(day)/reconciliation_discrepancies.csv")
            #expect(nightly == (try Self.fullReconcile(day)), "\(day)")
            found += nightly.count - 1
            // The roll-forward the night wrote from its ledger pass is the one `run` makes.
            #expect(try TestEnvironment.csv(directory + "/\(day)/ledger_rollforward.csv") == (try Self.runRollforward(day)), "\(day)")
            // The checkpoint is listed and hashed in the manifest.
            let files = try #require(try TestEnvironment.json(directory + "/\(day)/manifest.json")["files"] as? [[String: Any]])
            #expect(files.contains { $0["name"] as? String == LedgerCheckpoint.fileName && ($0["sha256"] as? String)?.count == 64 })
        }
        #expect(found >= 10, "the planted discrepancies of 2026-11-10 to 2026-11-19 were found")
        let first = try Self.ledgerPass(directory, "2026-11-08")
        #expect(first.note.contains("no earlier day"), "\(first.note)")
    }

    @Test func historyChangedBehindACheckpointIsCaught() throws {
        let directory = try TestEnvironment.temporaryDirectory()
        try Self.nights("2026-11-20", "2026-11-21", into: directory)
        #expect(try Self.ledgerPass(directory, "2026-11-21").kind == "incremental")
        let account = try #require(try TestEnvironment.query(
            "SELECT id::text, user_id::text FROM credit_accounts ORDER BY id LIMIT 1", url: Self.url).first)

        // A purchase inserted with a created_at behind the checkpoint: the
        // next night counts the history, sees it moved, and reads it all.
        _ = try TestEnvironment.query("""
            INSERT INTO credit_transactions (user_id, account_id, transaction_type, amount, balance_after, description,
                                             stripe_payment_intent_id, created_at)
            VALUES ($1, $2, 'purchase', 10, 10, 'backdated', 'pi_backdated', '2026-11-05 12:00:00+00')
            """, [account[1], account[0]], url: Self.url)
        try Self.nights("2026-11-22", "2026-11-22", into: directory)
        let caught = try Self.ledgerPass(directory, "2026-11-22")
        #expect(caught.kind == "full" && caught.note.contains("history changed"), "\(caught)")
        let rows = try TestEnvironment.csv(directory + "/2026-11-22/reconciliation_discrepancies.csv")
        #expect(rows.contains { $0[0] == "LIFETIME_PURCHASED_MISMATCH" && $0[1] == account[0] }, "\(rows)")
        #expect(rows == (try Self.fullReconcile("2026-11-22")))

        // An old amount changed in place (no count moves), and a purchase
        // backdated further than the checkpoint's recounted days: an
        // incremental night cannot see either (the README says so); --full,
        // and the periodic full pass, do.
        _ = try TestEnvironment.query("""
            UPDATE credit_transactions SET amount = amount + 1
            WHERE id = (SELECT id FROM credit_transactions WHERE transaction_type = 'purchase' AND account_id = $1
                        AND created_at < '2026-11-05Z' ORDER BY created_at LIMIT 1)
            """, [account[0]], url: Self.url)
        let other = try #require(try TestEnvironment.query(
            "SELECT id::text, user_id::text FROM credit_accounts ORDER BY id OFFSET 1 LIMIT 1", url: Self.url).first)
        let deep = "2026-11-23 00:00:00+00"  // the end of the 2026-11-22 checkpoint, which the next night starts from
        _ = try TestEnvironment.query("""
            INSERT INTO credit_transactions (user_id, account_id, transaction_type, amount, balance_after, description,
                                             stripe_payment_intent_id, created_at)
            VALUES ($1, $2, 'purchase', 10, 10, 'backdated far', 'pi_backdated_far',
                    $3::timestamptz - make_interval(days => $4::int + 1))
            """, [other[1], other[0], deep, String(LedgerCheckpoint.recountedDays)], url: Self.url)
        try Self.nights("2026-11-23", "2026-11-23", into: directory)
        #expect(try Self.ledgerPass(directory, "2026-11-23").kind == "incremental")
        let missed = { (rows: [[String]]) in rows.contains { $0[0] == "LIFETIME_PURCHASED_MISMATCH" && $0[1] == other[0] } }
        #expect(!missed(try TestEnvironment.csv(directory + "/2026-11-23/reconciliation_discrepancies.csv")))
        #expect(missed(try Self.fullReconcile("2026-11-23")), "a full pass sees the far backdated purchase")
        let forced = try TestEnvironment.temporaryDirectory()
        try FileManager.default.copyItem(atPath: directory + "/2026-11-23", toPath: forced + "/2026-11-23")
        try Self.nights("2026-11-24", "2026-11-24", into: forced, full: true)
        #expect(try Self.ledgerPass(forced, "2026-11-24").note == "--full was given")
        #expect(try TestEnvironment.csv(forced + "/2026-11-24/reconciliation_discrepancies.csv") == (try Self.fullReconcile("2026-11-24")))
        try Self.nights("2026-11-24", "2026-11-24", into: directory, fullEvery: 2)
        let periodic = try Self.ledgerPass(directory, "2026-11-24")
        #expect(periodic.kind == "full" && periodic.note.contains("last full pass was on 2026-11-22"), "\(periodic)")
        #expect(missed(try TestEnvironment.csv(directory + "/2026-11-24/reconciliation_discrepancies.csv")))
    }

    /// A day written before the checkpoint was named .jsonl: the night after
    /// an upgrade still starts from it, and writes the new name.
    @Test func aCheckpointUnderItsPreviousNameIsStillUsed() throws {
        let directory = try TestEnvironment.temporaryDirectory()
        try Self.nights("2026-11-12", "2026-11-12", into: directory)
        let folder = directory + "/2026-11-12"
        try FileManager.default.moveItem(atPath: folder + "/" + LedgerCheckpoint.fileName, toPath: folder + "/reconciliation_checkpoint.json")
        let manifest = try String(contentsOfFile: folder + "/manifest.json", encoding: .utf8)
        try manifest.replacingOccurrences(of: "\"reconciliation_checkpoint.jsonl\"", with: "\"reconciliation_checkpoint.json\"")
            .write(toFile: folder + "/manifest.json", atomically: true, encoding: .utf8)
        try Self.nights("2026-11-13", "2026-11-13", into: directory)
        #expect(try Self.ledgerPass(directory, "2026-11-13").kind == "incremental")
        #expect(FileManager.default.fileExists(atPath: directory + "/2026-11-13/reconciliation_checkpoint.jsonl"))
        #expect(try TestEnvironment.csv(directory + "/2026-11-13/reconciliation_discrepancies.csv") == (try Self.fullReconcile("2026-11-13")))
    }

    @Test func aDamagedOrMissingCheckpointMeansAFullPass() throws {
        let directory = try TestEnvironment.temporaryDirectory()
        try Self.nights("2026-11-12", "2026-11-12", into: directory)
        let checkpoint = directory + "/2026-11-12/" + LedgerCheckpoint.fileName
        var bytes = try Data(contentsOf: URL(fileURLWithPath: checkpoint))
        bytes[bytes.count / 2] = bytes[bytes.count / 2] == UInt8(ascii: "1") ? UInt8(ascii: "2") : UInt8(ascii: "1")
        try bytes.write(to: URL(fileURLWithPath: checkpoint))
        try Self.nights("2026-11-13", "2026-11-13", into: directory)
        let damaged = try Self.ledgerPass(directory, "2026-11-13")
        #expect(damaged.kind == "full" && damaged.note.contains("SHA-256"), "\(damaged)")
        #expect(try TestEnvironment.csv(directory + "/2026-11-13/reconciliation_discrepancies.csv") == (try Self.fullReconcile("2026-11-13")))

        try FileManager.default.removeItem(atPath: directory + "/2026-11-13/" + LedgerCheckpoint.fileName)
        try FileManager.default.removeItem(atPath: checkpoint)
        try Self.nights("2026-11-14", "2026-11-14", into: directory)
        #expect(try Self.ledgerPass(directory, "2026-11-14").kind == "full")
    }
}

extension ClosedRange where Bound == CivilDate {
    /// Every day of the range, in order.
    var days: [CivilDate] {
        (0...Int(upperBound.daysSinceUnixEpoch - lowerBound.daysSinceUnixEpoch)).map { lowerBound.adding(days: $0) }
    }
}

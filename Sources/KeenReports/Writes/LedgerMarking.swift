import Foundation

/// `reconcile --mark` (WRITES.md): after the reconciliation, transactions in
/// the window named by a discrepancy become `disputed`, and purchases Stripe
/// collected exactly become `reconciled`. Only `pending` or NULL rows change.
///
/// The reconciliation and the list of candidates come from the run's
/// read-only snapshot. The change is one READ COMMITTED transaction on a
/// second connection: each row is locked and its status checked again as it
/// is now, so a row someone set meanwhile is left alone and counted as
/// skipped, and nobody waits on us for longer than one statement.
public struct LedgerMarking: Sendable {
    public let dryRun: Bool
    /// Written into every audit row and the summary.
    public let runID: String
    let settings: ConnectionSettings
    let statementTimeout: StatementTimeout

    public init(dryRun: Bool, settings: ConnectionSettings, statementTimeout: StatementTimeout = .standard,
                runID: String = UUID().uuidString.lowercased()) {
        self.dryRun = dryRun
        self.settings = settings
        self.statementTimeout = statementTimeout
        self.runID = runID
    }

    /// One status the run changes (or, dry, would change).
    struct Mark: Sendable {
        let transactionID: String
        let accountID: String?
        let userID: String?
        let oldStatus: String?
        let newStatus: ReconciliationStatus
        let reason: String

        var row: KeyValuePairs<String, ReportValue> {
            ["transaction_id": .uuid(transactionID), "account_id": .uuid(accountID), "user_id": .uuid(userID),
             "old_status": .text(oldStatus), "new_status": .text(newStatus.rawValue), "reason": .text(reason)]
        }
    }

    /// The counts the summary reports.
    public struct Outcome: Sendable {
        let marks: [Mark]
        public let skipped: Int
        public var reconciled: Int { marks.filter { $0.newStatus == .reconciled }.count }
        public var disputed: Int { marks.filter { $0.newStatus == .disputed }.count }
    }

    public static let columns = [
        ReportColumn(name: "transaction_id", type: .uuid, meaning: "credit_transactions.id"),
        ReportColumn(name: "account_id", type: .uuid, meaning: "credit_accounts.id"),
        ReportColumn(name: "user_id", type: .uuid, meaning: "the transaction's user"),
        ReportColumn(name: "old_status", type: .text, meaning: "reconciliation_status before (empty: NULL)"),
        ReportColumn(name: "new_status", type: .text, meaning: "reconciled or disputed"),
        ReportColumn(name: "reason", type: .text, meaning: "the discrepancy types naming it (;-joined), or matched"),
    ]

    /// Transaction id → (new status, reason): every transaction a
    /// discrepancy names is disputed; a matched purchase no discrepancy
    /// names is reconciled.
    static func targets(discrepancies: [Discrepancy], matched: [String]) -> [String: (status: ReconciliationStatus, reason: String)] {
        var types: [String: Set<String>] = [:]
        for discrepancy in discrepancies {
            if let id = discrepancy.transactionID { types[id, default: []].insert(discrepancy.type.rawValue) }
        }
        var targets = types.mapValues { (status: ReconciliationStatus.disputed, reason: $0.sorted().joined(separator: ";")) }
        for id in matched where targets[id] == nil { targets[id] = (status: .reconciled, reason: "matched") }
        return targets
    }

    /// The marks made in a transaction still open: the reconciliation writes
    /// its files first and commits this last, so that a failure on the way
    /// (a full disk) leaves the ledger as it was (WRITES.md: "it writes
    /// nothing when any step fails"). Rolled back when dropped uncommitted.
    final class Pending {
        fileprivate(set) var outcome: Outcome
        private var connection: PostgresConnection?

        init(outcome: Outcome, connection: PostgresConnection?) {
            self.outcome = outcome
            self.connection = connection
        }

        func commit() throws(EngineError) {
            defer { connection = nil }
            try connection?.execute("COMMIT")
        }

        deinit { _ = try? connection?.execute("ROLLBACK") }
    }

    /// Marks the targets: in the snapshot of `transaction`, which ones are
    /// in the window and pending (what a dry run reports); then, unless dry,
    /// changes them in one transaction of its own, left open for the caller
    /// to commit.
    func apply(_ targets: [String: (status: ReconciliationStatus, reason: String)], window: ReportWindow,
               snapshot transaction: ReportTransaction) throws(EngineError) -> Pending {
        let ids = targets.keys.sorted()
        let statuses = ids.map { targets[$0]!.status.rawValue }
        let reasons = ids.map { targets[$0]!.reason }
        let arrays = [ArrayLiteral.text(ids), ArrayLiteral.text(statuses), ArrayLiteral.text(reasons),
                      window.from.utcText, window.to.utcText]
        let candidates = try transaction.connection.execute(Self.candidatesSQL, arrays).rowsByName.map(Self.mark)
        guard !dryRun, !candidates.isEmpty else { return Pending(outcome: Outcome(marks: candidates, skipped: 0), connection: nil) }

        let connection = try PostgresConnection(settings)
        try connection.execute("BEGIN ISOLATION LEVEL READ COMMITTED")
        // Rolled back when what follows throws, or when the caller never commits.
        let pending = Pending(outcome: Outcome(marks: [], skipped: 0), connection: connection)
        try connection.execute("SELECT set_config('statement_timeout', $1, true)", [statementTimeout.text])
        let changed = try connection.execute(Self.markSQL, arrays + [runID]).rowsByName.map(Self.mark)
        pending.outcome = Outcome(marks: changed, skipped: candidates.count - changed.count)
        return pending
    }

    /// A row of either statement; its new status is one the engine sent.
    private static func mark(_ row: QueryResult.Row) throws(EngineError) -> Mark {
        guard let newStatus = row["new_status"].flatMap(ReconciliationStatus.init(rawValue:)) else {
            throw .engine("the marking statement returned a status the engine did not send: \(row["new_status"] ?? "NULL")")
        }
        return Mark(transactionID: row["transaction_id"] ?? "", accountID: row["account_id"], userID: row["user_id"],
                    oldStatus: row["old_status"], newStatus: newStatus, reason: row["reason"] ?? "")
    }

    /// The targets in the window whose status may change, as the snapshot
    /// sees them.
    static let candidatesSQL = """
        WITH target AS (SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[]) AS t(id, new_status, reason))
        SELECT t.id::text AS transaction_id, t.account_id::text AS account_id, t.user_id::text AS user_id,
               t.reconciliation_status::text AS old_status, target.new_status, target.reason
        FROM credit_transactions t JOIN target ON target.id = t.id
        WHERE t.created_at >= $4::timestamptz AND t.created_at < $5::timestamptz
          AND (t.reconciliation_status IS NULL OR t.reconciliation_status = 'pending')
        ORDER BY t.id
        """

    /// The same rows, locked and checked again as they are now, changed, and
    /// one audit row written for each change.
    static let markSQL = """
        WITH target AS (SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[]) AS t(id, new_status, reason)),
        locked AS (
            SELECT t.id, t.account_id, t.user_id, t.reconciliation_status AS old_status, target.new_status, target.reason
            FROM credit_transactions t JOIN target ON target.id = t.id
            WHERE t.created_at >= $4::timestamptz AND t.created_at < $5::timestamptz
              AND (t.reconciliation_status IS NULL OR t.reconciliation_status = 'pending')
            FOR UPDATE OF t
        ),
        changed AS (
            UPDATE credit_transactions t SET reconciliation_status = locked.new_status
            FROM locked WHERE t.id = locked.id
            RETURNING t.id, locked.account_id, locked.user_id, locked.old_status, locked.new_status, locked.reason
        ),
        audited AS (
            INSERT INTO audit_log (table_name, record_id, action, old_values, new_values)
            SELECT 'credit_transactions', id, 'reconciliation_status',
                   json_build_object('reconciliation_status', old_status),
                   json_build_object('reconciliation_status', new_status, 'reason', reason, 'run', $6::text)
            FROM changed
        )
        SELECT id::text AS transaction_id, account_id::text AS account_id, user_id::text AS user_id,
               old_status::text AS old_status, new_status, reason
        FROM changed ORDER BY id
        """
}

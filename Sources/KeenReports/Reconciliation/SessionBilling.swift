/// One row of `reconciliation_sessions` (or `_ended`): a session that ended
/// in the window, what it cost, and what its usage transactions bill.
struct SessionBilling: QueryRow, Equatable {
    let sessionID: String?
    let userID: String?
    /// The owner's credit account, nil when the owner has none.
    let accountID: String?
    let cost: ExactDecimal
    let usageTransactions: Int64
    /// The usage transactions' sum: negative, as usage takes credits.
    let usageTotal: ExactDecimal

    struct Columns {
        let sessionID, userID, accountID, cost, usageTransactions, usageTotal: Int
    }

    static func columns(in result: ResultColumns) throws(EngineError) -> Columns {
        Columns(sessionID: try result.position(of: "session_id"), userID: try result.position(of: "user_id"),
                accountID: try result.position(of: "account_id"), cost: try result.position(of: "total_cost"),
                usageTransactions: try result.position(of: "usage_transactions"), usageTotal: try result.position(of: "usage_total"))
    }

    init(sessionID: String?, userID: String?, accountID: String?, cost: ExactDecimal, usageTransactions: Int64,
         usageTotal: ExactDecimal) {
        self.sessionID = sessionID
        self.userID = userID
        self.accountID = accountID
        self.cost = cost
        self.usageTransactions = usageTransactions
        self.usageTotal = usageTotal
    }

    init(_ row: CopyRow, _ columns: Columns) throws(EngineError) {
        sessionID = try row.uuid(columns.sessionID)
        userID = try row.uuid(columns.userID)
        accountID = try row.uuid(columns.accountID)
        cost = try row.decimal(columns.cost) ?? .zero
        usageTransactions = try row.integer(columns.usageTransactions) ?? 0
        usageTotal = try row.decimal(columns.usageTotal) ?? .zero
    }

    /// SESSION_COST_MISMATCH or UNBILLED_SESSION, or nil when its billing is right.
    func discrepancy(tolerance: ExactDecimal) -> Discrepancy? {
        let cost = cost.rounded(toScale: 4)
        let billed = -usageTotal
        if usageTransactions > 0 {
            guard cost.differs(from: billed, beyond: tolerance) else { return nil }
            return Discrepancy(.sessionCostMismatch, accountID: accountID, userID: userID, sessionID: sessionID,
                               expected: .amount(cost), actual: .amount(billed),
                               detail: "the session cost \(cost.formatted(places: 4)) but its usage transactions bill \(billed.formatted(places: 4))")
        }
        guard cost > .zero else { return nil }
        return Discrepancy(.unbilledSession, accountID: accountID, userID: userID, sessionID: sessionID,
                           expected: .amount(cost), actual: .amount(.zero),
                           detail: "the session cost \(cost.formatted(places: 4)) and has no usage transaction")
    }
}

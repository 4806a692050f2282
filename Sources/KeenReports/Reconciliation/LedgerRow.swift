/// One row of `reconciliation_ledger`: an account, and one of its
/// transactions in ledger order (none for an account without any).
struct LedgerRow: QueryRow, Equatable {
    struct Account: Equatable {
        let id: String
        let userID: String
        let currentBalance: ExactDecimal
        let lifetimePurchased: ExactDecimal
        let lifetimeSpent: ExactDecimal
    }

    struct Transaction: Equatable {
        let id: String
        /// The transaction's own `user_id`, which should be the account's.
        let userID: String?
        let type: String
        let amount: ExactDecimal
        let balanceAfter: ExactDecimal
        let sessionID: String?
        /// "" when it carries none.
        let paymentIntentID: String
        let createdAt: Timestamp
        let reconciliationStatus: String?

        var kind: LedgerKind { LedgerKind(type: type, carriesIntent: !paymentIntentID.isEmpty) }
    }

    let account: Account
    let transaction: Transaction?

    struct Columns {
        let accountID, accountUserID, currentBalance, lifetimePurchased, lifetimeSpent: Int
        let transactionID, transactionUserID, type, amount, balanceAfter, sessionID, paymentIntentID, createdAt, status: Int
    }

    static func columns(in result: ResultColumns) throws(EngineError) -> Columns {
        Columns(accountID: try result.position(of: "account_id"), accountUserID: try result.position(of: "account_user_id"),
                currentBalance: try result.position(of: "current_balance"),
                lifetimePurchased: try result.position(of: "lifetime_purchased"),
                lifetimeSpent: try result.position(of: "lifetime_spent"), transactionID: try result.position(of: "transaction_id"),
                transactionUserID: try result.position(of: "transaction_user_id"), type: try result.position(of: "transaction_type"),
                amount: try result.position(of: "amount"), balanceAfter: try result.position(of: "balance_after"),
                sessionID: try result.position(of: "session_id"), paymentIntentID: try result.position(of: "payment_intent_id"),
                createdAt: try result.position(of: "created_at"), status: try result.position(of: "reconciliation_status"))
    }

    init(account: Account, transaction: Transaction?) {
        self.account = account
        self.transaction = transaction
    }

    init(_ row: CopyRow, _ columns: Columns) throws(EngineError) {
        account = Account(id: try row.uuid(columns.accountID) ?? "", userID: try row.uuid(columns.accountUserID) ?? "",
                          currentBalance: try row.decimal(columns.currentBalance) ?? .zero,
                          lifetimePurchased: try row.decimal(columns.lifetimePurchased) ?? .zero,
                          lifetimeSpent: try row.decimal(columns.lifetimeSpent) ?? .zero)
        guard let id = try row.uuid(columns.transactionID) else {
            transaction = nil
            return
        }
        transaction = Transaction(id: id, userID: try row.uuid(columns.transactionUserID), type: row.text(columns.type) ?? "",
                                  amount: try row.decimal(columns.amount) ?? .zero,
                                  balanceAfter: try row.decimal(columns.balanceAfter) ?? .zero,
                                  sessionID: try row.uuid(columns.sessionID),
                                  paymentIntentID: row.text(columns.paymentIntentID) ?? "",
                                  // created_at is NOT NULL in the schema.
                                  createdAt: try row.timestamp(columns.createdAt) ?? Timestamp(unixMicroseconds: 0),
                                  reconciliationStatus: row.text(columns.status))
    }
}

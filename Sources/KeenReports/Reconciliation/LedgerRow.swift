/// One row of `reconciliation_ledger`: an account, and one of its
/// transactions in ledger order (none for an account without any).
///
/// The ledger is the longest read of a reconciliation (a million rows and
/// more), so a row decodes no text it does not need: the account's fields
/// once per account (the rows come in account order, `Columns` keeps the
/// last account), the transaction's user only when it is not the account's,
/// and of its session only whether it names one.
struct LedgerRow: QueryRow, Equatable, Sendable {
    /// A class, so that the rows of one account share it rather than copy it.
    final class Account: Equatable, Sendable {
        let id: String
        let userID: String
        let currentBalance: ExactDecimal
        let lifetimePurchased: ExactDecimal
        let lifetimeSpent: ExactDecimal

        init(id: String, userID: String, currentBalance: ExactDecimal, lifetimePurchased: ExactDecimal, lifetimeSpent: ExactDecimal) {
            self.id = id
            self.userID = userID
            self.currentBalance = currentBalance
            self.lifetimePurchased = lifetimePurchased
            self.lifetimeSpent = lifetimeSpent
        }

        static func == (lhs: Account, rhs: Account) -> Bool {
            (lhs.id, lhs.userID, lhs.currentBalance, lhs.lifetimePurchased, lhs.lifetimeSpent)
                == (rhs.id, rhs.userID, rhs.currentBalance, rhs.lifetimePurchased, rhs.lifetimeSpent)
        }
    }

    struct Transaction: Equatable, Sendable {
        let id: String
        /// The transaction's own `user_id` when it is not the account's
        /// owner (nil when it is, or when it is NULL).
        let otherUserID: String?
        let type: String
        let amount: ExactDecimal
        let balanceAfter: ExactDecimal
        let namesSession: Bool
        /// "" when it carries none.
        let paymentIntentID: String
        let createdAt: Timestamp
        let reconciliationStatus: String?

        var kind: LedgerKind { LedgerKind(type: type, carriesIntent: !paymentIntentID.isEmpty) }
    }

    let account: Account
    let transaction: Transaction?

    /// The positions of the query's columns, and the account last read.
    final class Columns {
        let accountID, accountUserID, currentBalance, lifetimePurchased, lifetimeSpent: Int
        let transactionID, transactionUserID, type, amount, balanceAfter, sessionID, paymentIntentID, createdAt, status: Int
        fileprivate var last: (id: UInt128, userID: UInt128, account: Account)?

        init(_ result: ResultColumns) throws(EngineError) {
            accountID = try result.position(of: "account_id")
            accountUserID = try result.position(of: "account_user_id")
            currentBalance = try result.position(of: "current_balance")
            lifetimePurchased = try result.position(of: "lifetime_purchased")
            lifetimeSpent = try result.position(of: "lifetime_spent")
            transactionID = try result.position(of: "transaction_id")
            transactionUserID = try result.position(of: "transaction_user_id")
            type = try result.position(of: "transaction_type")
            amount = try result.position(of: "amount")
            balanceAfter = try result.position(of: "balance_after")
            sessionID = try result.position(of: "session_id")
            paymentIntentID = try result.position(of: "payment_intent_id")
            createdAt = try result.position(of: "created_at")
            status = try result.position(of: "reconciliation_status")
        }
    }

    static func columns(in result: ResultColumns) throws(EngineError) -> Columns { try Columns(result) }

    init(account: Account, transaction: Transaction?) {
        self.account = account
        self.transaction = transaction
    }

    init(_ row: CopyRow, _ columns: Columns) throws(EngineError) {
        let accountBits = try row.uuidBits(columns.accountID)
        let owner: UInt128
        if let last = columns.last, last.id == accountBits {
            account = last.account
            owner = last.userID
        } else {
            account = Account(id: try row.uuid(columns.accountID) ?? "", userID: try row.uuid(columns.accountUserID) ?? "",
                              currentBalance: try row.decimal(columns.currentBalance) ?? .zero,
                              lifetimePurchased: try row.decimal(columns.lifetimePurchased) ?? .zero,
                              lifetimeSpent: try row.decimal(columns.lifetimeSpent) ?? .zero)
            owner = try row.uuidBits(columns.accountUserID)
            columns.last = (accountBits, owner, account)
        }
        guard let id = try row.uuid(columns.transactionID) else {
            transaction = nil
            return
        }
        let user = row.isNull(columns.transactionUserID) ? nil : try row.uuidBits(columns.transactionUserID)
        transaction = Transaction(id: id, otherUserID: user.map { $0 != owner } == true ? try row.uuid(columns.transactionUserID) : nil,
                                  type: row.text(columns.type) ?? "", amount: try row.decimal(columns.amount) ?? .zero,
                                  balanceAfter: try row.decimal(columns.balanceAfter) ?? .zero,
                                  namesSession: !row.isNull(columns.sessionID),
                                  paymentIntentID: row.text(columns.paymentIntentID) ?? "",
                                  // created_at is NOT NULL in the schema.
                                  createdAt: try row.timestamp(columns.createdAt) ?? Timestamp(unixMicroseconds: 0),
                                  reconciliationStatus: row.text(columns.status))
    }
}

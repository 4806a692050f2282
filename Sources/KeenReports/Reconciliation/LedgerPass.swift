/// The ledger checks, fed the `reconciliation_ledger` rows one at a time in
/// ledger order (account, created_at, id). Holds one account's running state,
/// so a ledger of any length reconciles in the same memory.
///
/// Seeded with a checkpoint, it is fed the transactions since (`:since`):
/// each account starts from the checkpoint's balance and sums, so the chain
/// links to the checkpoint and the lifetime checks add the new rows to its
/// sums. With `keepsCheckpoint` it also sums every account up to the window's
/// end, for the next night's checkpoint (memory then grows with the accounts),
/// and counts the rows it reads of that checkpoint's recounted days.
struct LedgerPass {
    let window: ReportWindow
    let tolerance: ExactDecimal
    private(set) var discrepancies: [Discrepancy] = []
    private(set) var totals = LedgerTotals()
    private var account: Account?
    private let seed: LedgerCheckpoint?
    private let keepsCheckpoint: Bool
    /// Each account summed up to the window's end (with `keepsCheckpoint`).
    private(set) var checkpointAccounts: [String: LedgerCheckpoint.AccountState] = [:]
    /// Rows read that were created in [`countedFrom`, window end) (with `keepsCheckpoint`).
    private(set) var transactionsCounted: Int64 = 0
    private let countedFrom: Timestamp
    /// The window's roll-forward, when the run writes `ledger_rollforward`.
    private(set) var rollforward: LedgerRollforward?

    init(window: ReportWindow, tolerance: ExactDecimal, seed: LedgerCheckpoint? = nil, keepsCheckpoint: Bool = false,
         rollsForward: Bool = false) {
        self.window = window
        rollforward = rollsForward ? LedgerRollforward(window: window) : nil
        self.tolerance = tolerance
        self.seed = seed
        self.keepsCheckpoint = keepsCheckpoint
        countedFrom = LedgerCheckpoint.countedFrom(asOf: window.to)
    }

    private struct Account {
        let id: String
        let userID: String
        let currentBalance: ExactDecimal
        let lifetimePurchased: ExactDecimal
        let lifetimeSpent: ExactDecimal
        /// balance_after of the transaction before the next one (0 before the first).
        var previousBalance = ExactDecimal.zero
        var latestBalance: ExactDecimal?
        var openingBalance: ExactDecimal?
        var closingBalance: ExactDecimal?
        var purchased = ExactDecimal.zero
        var used = ExactDecimal.zero
        /// The account up to the window's end, for the next checkpoint.
        var atWindowEnd = LedgerCheckpoint.AccountState()

        /// Starts from what a checkpoint summed before the rows that follow.
        mutating func start(from state: LedgerCheckpoint.AccountState, window: ReportWindow, asOf: Timestamp) {
            atWindowEnd = state
            purchased = state.purchased
            used = state.used
            guard state.lastTransaction != nil else { return }
            previousBalance = state.balance
            latestBalance = state.balance
            if asOf <= window.from { openingBalance = state.balance }
            if asOf <= window.to { closingBalance = state.balance }
        }
    }

    mutating func consume(_ row: LedgerRow) {
        let accountID = row.account.id
        if account?.id != accountID {
            finishAccount()
            account = Account(id: accountID, userID: row.account.userID, currentBalance: row.account.currentBalance,
                              lifetimePurchased: row.account.lifetimePurchased, lifetimeSpent: row.account.lifetimeSpent)
            if let seed, let state = seed.accounts[accountID] { account!.start(from: state, window: window, asOf: seed.asOf) }
            rollforward?.startAccount(balance: account!.previousBalance)
            totals.accounts += 1
        }
        guard let transaction = row.transaction else { return }  // an account with no transactions
        let transactionID = transaction.id
        let kind = transaction.kind
        let amount = transaction.amount
        let balanceAfter = transaction.balanceAfter
        let createdAt = transaction.createdAt
        var state = account!
        defer { account = state }
        rollforward?.consume(createdAt: createdAt, kind: kind, amount: amount, balanceAfter: balanceAfter)

        if kind == .purchase { state.purchased += amount }
        if kind == .usage { state.used += amount }
        if createdAt < window.from { state.openingBalance = balanceAfter }
        if createdAt < window.to {
            state.closingBalance = balanceAfter
            state.atWindowEnd.lastTransaction = transactionID
            state.atWindowEnd.balance = balanceAfter
            if kind == .purchase { state.atWindowEnd.purchased += amount }
            if kind == .usage { state.atWindowEnd.used += amount }
            if keepsCheckpoint && createdAt >= countedFrom { transactionsCounted += 1 }
        }

        if createdAt >= window.from && createdAt < window.to {
            totals.countInWindow(type: transaction.type, kind: kind, status: transaction.reconciliationStatus, amount: amount)
            let expected = state.previousBalance + amount
            if expected.differs(from: balanceAfter, beyond: tolerance) {
                discrepancies.append(Discrepancy(.chainBreak, accountID: state.id, userID: state.userID, transactionID: transactionID,
                                                 expected: .amount(expected), actual: .amount(balanceAfter),
                                                 detail: "balance_after \(balanceAfter.formatted(places: 4)) is not the previous balance \(state.previousBalance.formatted(places: 4)) plus the amount \(amount.formatted(places: 4))"))
            }
            if let transactionUser = transaction.otherUserID {
                discrepancies.append(Discrepancy(.accountUserMismatch, accountID: state.id, userID: state.userID, transactionID: transactionID,
                                                 expected: .text(state.userID), actual: .text(transactionUser),
                                                 detail: "the transaction's user \(transactionUser) does not own account \(state.id)"))
            }
            if kind.hasWrongSign(amount) {
                discrepancies.append(Discrepancy(.signViolation, accountID: state.id, userID: state.userID, transactionID: transactionID,
                                                 actual: .amount(amount),
                                                 detail: "a \(kind.noun) of \(amount.formatted(places: 4)) has the wrong sign (purchases and credit refunds add credits, usage and payment refunds take them)"))
            }
            if kind == .usage && !transaction.namesSession {
                discrepancies.append(Discrepancy(.usageWithoutSession, accountID: state.id, userID: state.userID, transactionID: transactionID,
                                                 actual: .amount(amount), detail: "a usage transaction names no agent session"))
            }
            if kind == .purchase && transaction.paymentIntentID.isEmpty {
                discrepancies.append(Discrepancy(.missingPaymentIntent, accountID: state.id, userID: state.userID, transactionID: transactionID,
                                                 actual: .amount(amount), detail: "a purchase carries no Stripe payment intent"))
            }
        }
        state.previousBalance = balanceAfter
        state.latestBalance = balanceAfter
    }

    /// The all-time checks of the account just read, and its balances.
    mutating func finishAccount() {
        guard let state = account else { return }
        account = nil
        rollforward?.finishAccount()
        if keepsCheckpoint { checkpointAccounts[state.id] = state.atWindowEnd }
        totals.openingBalanceTotal += state.openingBalance ?? .zero
        totals.closingBalanceTotal += state.closingBalance ?? .zero
        let latest = state.latestBalance ?? .zero
        if latest.differs(from: state.currentBalance, beyond: tolerance) {
            discrepancies.append(Discrepancy(.balanceMismatch, accountID: state.id, userID: state.userID,
                                             expected: .amount(latest), actual: .amount(state.currentBalance),
                                             detail: "current_balance \(state.currentBalance.formatted(places: 4)) is not the latest balance_after \(latest.formatted(places: 4))"))
        }
        if state.purchased.differs(from: state.lifetimePurchased, beyond: tolerance) {
            discrepancies.append(Discrepancy(.lifetimePurchasedMismatch, accountID: state.id, userID: state.userID,
                                             expected: .amount(state.purchased), actual: .amount(state.lifetimePurchased),
                                             detail: "lifetime_purchased \(state.lifetimePurchased.formatted(places: 4)) is not the sum of purchases \(state.purchased.formatted(places: 4))"))
        }
        let spent = -state.used
        if spent.differs(from: state.lifetimeSpent, beyond: tolerance) {
            discrepancies.append(Discrepancy(.lifetimeSpentMismatch, accountID: state.id, userID: state.userID,
                                             expected: .amount(spent), actual: .amount(state.lifetimeSpent),
                                             detail: "lifetime_spent \(state.lifetimeSpent.formatted(places: 4)) is not minus the sum of usage \(spent.formatted(places: 4))"))
        }
    }

}

/// The summary's figures from the ledger.
struct LedgerTotals {
    struct CountAndSum {
        var count: Int64 = 0
        var sum = ExactDecimal.zero

        mutating func add(_ amount: ExactDecimal) {
            count += 1
            sum += amount
        }
    }

    var accounts: Int64 = 0
    var byType: [String: CountAndSum] = [:]
    var byStatus: [String: CountAndSum] = [:]
    var paymentRefunds = CountAndSum()
    var creditRefunds = CountAndSum()
    var netChange = ExactDecimal.zero
    var openingBalanceTotal = ExactDecimal.zero
    var closingBalanceTotal = ExactDecimal.zero

    /// The key a NULL reconciliation_status is counted under.
    static let unsetStatus = "unset"

    mutating func countInWindow(type: String, kind: LedgerKind, status: String?, amount: ExactDecimal) {
        if kind == .paymentRefund { paymentRefunds.add(amount) }
        if kind == .creditRefund { creditRefunds.add(amount) }
        byType[type, default: CountAndSum()].add(amount)
        byStatus[status ?? Self.unsetStatus, default: CountAndSum()].add(amount)
        netChange += amount
    }
}

import Testing
@testable import KeenReports

/// The ledger checks of `reconciliation_ledger` and the sessions' billing,
/// fed rows built here: every discrepancy type they can find, with no server.
@Suite struct LedgerPassTests {
    static let window = try! ReportWindow(from: "2026-11-10", to: "2026-11-20", zone: .utc)

    static func at(_ text: String) -> Timestamp { try! ReportWindow.instant(text, zone: .utc) }
    static func amount(_ text: String) -> ExactDecimal { ExactDecimal(text)! }

    static func account(_ id: String = "acct-1", user: String = "user-1", balance: String, purchased: String,
                        spent: String) -> LedgerRow.Account {
        LedgerRow.Account(id: id, userID: user, currentBalance: amount(balance), lifetimePurchased: amount(purchased),
                          lifetimeSpent: amount(spent))
    }

    static func row(_ account: LedgerRow.Account, _ id: String, _ type: String, _ amount: String, after: String,
                    at instant: String, user: String? = nil, session: String? = "session-1", intent: String = "",
                    status: String? = nil) -> LedgerRow {
        LedgerRow(account: account,
                  transaction: .init(id: id, otherUserID: user.flatMap { $0 == account.userID ? nil : $0 }, type: type,
                                     amount: Self.amount(amount), balanceAfter: Self.amount(after), namesSession: session != nil,
                                     paymentIntentID: intent, createdAt: at(instant), reconciliationStatus: status))
    }

    static func pass(_ rows: [LedgerRow], tolerance: String = "0") -> LedgerPass {
        var pass = LedgerPass(window: window, tolerance: amount(tolerance))
        for row in rows { pass.consume(row) }
        pass.finishAccount()
        return pass
    }

    /// An account whose every row and total agrees.
    static let clean: [LedgerRow] = {
        let account = Self.account(balance: "70", purchased: "100", spent: "30")
        return [
            row(account, "t1", "purchase", "100", after: "100", at: "2026-11-05T09:00:00Z", session: nil, intent: "pi_1"),
            row(account, "t2", "usage", "-30", after: "70", at: "2026-11-12T09:00:00Z"),
        ]
    }()

    @Test func aLedgerThatAddsUpHasNoDiscrepancy() {
        let pass = Self.pass(Self.clean)
        #expect(pass.discrepancies.isEmpty)
        #expect(pass.totals.accounts == 1)
        #expect(pass.totals.openingBalanceTotal == Self.amount("100") && pass.totals.closingBalanceTotal == Self.amount("70"))
        #expect(pass.totals.netChange == Self.amount("-30"))
        #expect(pass.totals.byStatus[LedgerTotals.unsetStatus]?.count == 1, "only the window's transaction is counted")
    }

    @Test func aBalanceThatIsNotThePreviousPlusTheAmountBreaksTheChain() {
        let account = Self.account(balance: "65", purchased: "100", spent: "35")
        let pass = Self.pass([
            Self.row(account, "t1", "purchase", "100", after: "100", at: "2026-11-05T09:00:00Z", session: nil, intent: "pi_1"),
            Self.row(account, "t2", "usage", "-30", after: "70", at: "2026-11-12T09:00:00Z"),
            Self.row(account, "t3", "usage", "-5", after: "66", at: "2026-11-13T09:00:00Z"),
        ])
        #expect(pass.discrepancies.map(\.type) == [.chainBreak, .balanceMismatch])
        let chainBreak = pass.discrepancies[0]
        #expect(chainBreak.transactionID == "t3" && chainBreak.expected == .amount(Self.amount("65"))
                && chainBreak.actual == .amount(Self.amount("66")))
        #expect(pass.discrepancies[1].expected == .amount(Self.amount("66")) && pass.discrepancies[1].actual == .amount(Self.amount("65")))
        #expect(Self.pass([Self.row(account, "t1", "purchase", "65", after: "65.5", at: "2026-11-12T09:00:00Z", intent: "pi")],
                          tolerance: "0.5").discrepancies.filter { $0.type == .chainBreak }.isEmpty, "within the tolerance")
    }

    @Test func lifetimeTotalsAreTheSumsOfPurchasesAndUsage() {
        let account = Self.account(balance: "70", purchased: "90", spent: "31")
        let found = Self.pass(Self.clean.map { LedgerRow(account: account, transaction: $0.transaction) }).discrepancies
        #expect(found.map(\.type) == [.lifetimePurchasedMismatch, .lifetimeSpentMismatch])
        #expect(found[0].expected == .amount(Self.amount("100")) && found[0].actual == .amount(Self.amount("90")))
        #expect(found[1].expected == .amount(Self.amount("30")) && found[1].actual == .amount(Self.amount("31")))
        #expect(found.allSatisfy { $0.transactionID == nil && $0.accountID == "acct-1" })
    }

    @Test func aTransactionOfAnotherUserSignsAndSessions() {
        let account = Self.account(balance: "65", purchased: "100", spent: "35")
        let found = Self.pass([
            Self.row(account, "t1", "purchase", "100", after: "100", at: "2026-11-11T09:00:00Z", session: nil, intent: "pi_1"),
            Self.row(account, "t2", "usage", "-30", after: "70", at: "2026-11-12T09:00:00Z", user: "user-2"),
            Self.row(account, "t3", "usage", "-5", after: "65", at: "2026-11-13T09:00:00Z", session: nil),
        ]).discrepancies
        #expect(found.map(\.type) == [.accountUserMismatch, .usageWithoutSession])
        #expect(found[0].transactionID == "t2" && found[0].expected == .text("user-1") && found[0].actual == .text("user-2"))
        #expect(found[1].transactionID == "t3")

        let wrongSigns = Self.pass([
            Self.row(account, "t1", "purchase", "-1", after: "-1", at: "2026-11-11T09:00:00Z", intent: "pi_1"),
            Self.row(account, "t2", "usage", "2", after: "1", at: "2026-11-12T09:00:00Z"),
            Self.row(account, "t3", "refund", "3", after: "4", at: "2026-11-12T10:00:00Z", intent: "pi_1"),
            Self.row(account, "t4", "refund", "-4", after: "0", at: "2026-11-12T11:00:00Z"),
            Self.row(account, "t5", "adjustment", "-1", after: "-1", at: "2026-11-12T12:00:00Z"),
        ]).discrepancies.filter { $0.type == .signViolation }
        #expect(wrongSigns.map(\.transactionID) == ["t1", "t2", "t3", "t4"], "an adjustment may go either way")
        #expect(wrongSigns[2].detail.contains("payment refund") && wrongSigns[3].detail.contains("credit refund"))
    }

    @Test func aPurchaseWithoutAPaymentIntent() {
        let account = Self.account(balance: "10", purchased: "10", spent: "0")
        let found = Self.pass([Self.row(account, "t1", "purchase", "10", after: "10", at: "2026-11-11T09:00:00Z", session: nil)])
            .discrepancies
        #expect(found.map(\.type) == [.missingPaymentIntent])
        #expect(found[0].actual == .amount(Self.amount("10")))
    }

    @Test func rowsOutsideTheWindowAreChainedButNotChecked() {
        let account = Self.account(balance: "70", purchased: "100", spent: "30")
        let pass = Self.pass([
            // A break before the window: not this window's discrepancy, but the chain goes on from its balance.
            Self.row(account, "t1", "purchase", "100", after: "101", at: "2026-11-05T09:00:00Z", session: nil, intent: "pi_1"),
            Self.row(account, "t2", "usage", "-31", after: "70", at: "2026-11-12T09:00:00Z"),
        ])
        #expect(pass.discrepancies.map(\.type) == [.lifetimeSpentMismatch])
    }

    @Test func anAccountWithoutTransactions() {
        let account = Self.account(balance: "5", purchased: "0", spent: "0")
        let found = Self.pass([LedgerRow(account: account, transaction: nil)]).discrepancies
        #expect(found.map(\.type) == [.balanceMismatch])
        #expect(found[0].expected == .amount(.zero) && found[0].actual == .amount(Self.amount("5")))
    }

    @Test func sessionsAreBilledWhatTheyCost() {
        func session(cost: String, transactions: Int64, total: String) -> SessionBilling {
            SessionBilling(sessionID: "s", userID: "u", accountID: "a", cost: Self.amount(cost), usageTransactions: transactions,
                           usageTotal: Self.amount(total))
        }
        #expect(session(cost: "1.23456", transactions: 1, total: "-1.2346").discrepancy(tolerance: .zero) == nil,
                "the cost is compared at the ledger's four places")
        let mismatch = session(cost: "2", transactions: 2, total: "-1.5").discrepancy(tolerance: .zero)
        #expect(mismatch?.type == .sessionCostMismatch)
        #expect(mismatch?.expected == .amount(Self.amount("2")) && mismatch?.actual == .amount(Self.amount("1.5")))
        #expect(session(cost: "2", transactions: 2, total: "-1.5").discrepancy(tolerance: Self.amount("0.5")) == nil)
        let unbilled = session(cost: "0.5", transactions: 0, total: "0").discrepancy(tolerance: .zero)
        #expect(unbilled?.type == .unbilledSession && unbilled?.sessionID == "s" && unbilled?.actual == .amount(.zero))
        #expect(session(cost: "0", transactions: 0, total: "0").discrepancy(tolerance: .zero) == nil, "a free session needs no bill")
    }
}

import Testing
@testable import KeenReports

/// The ledger's payment intents against a Stripe export, both built here:
/// each discrepancy type of the match (the refund match is in LedgerChecksTests).
@Suite struct StripeMatchingTests {
    typealias Fixtures = LedgerChecksTests

    static func payment(_ id: String, amount: String, currency: String = "usd", status: String = "Paid",
                        customer: String = "cus_1", line: Int = 2) -> StripePayment {
        StripePayment(id: id, created: Fixtures.inside, amount: ExactDecimal(amount)!, amountRefunded: .zero, currency: currency,
                      status: status, customerID: customer, line: line)
    }

    static func match(_ groups: [PaymentIntentGroup], _ payments: [StripePayment],
                      userOf: [String: String] = [:]) -> StripeMatcher {
        var matcher = StripeMatcher(payments: payments, window: Fixtures.window, tolerance: .zero)
        for group in groups { matcher.consume(group) }
        matcher.finish(userOf: userOf)
        return matcher
    }

    static func purchase(_ intent: String, _ amount: String, inWindow: Bool = true, customer: String = "cus_1") -> PaymentIntentGroup {
        PaymentIntentGroup(intent: intent, purchases: [Fixtures.transaction("p-\(intent)", amount, inWindow: inWindow, customer: customer)])
    }

    @Test func anExactPaymentIsMatchedAndMarkable() {
        let matcher = Self.match([Self.purchase("pi_1", "50")], [Self.payment("pi_1", amount: "50.00")])
        #expect(matcher.discrepancies.isEmpty)
        #expect(matcher.matchedTransactions == ["p-pi_1"])
    }

    @Test func aPurchaseStripeDidNotCollect() {
        let found = Self.match([Self.purchase("pi_1", "50"), Self.purchase("pi_2", "20", inWindow: false)],
                               [Self.payment("pi_1", amount: "50.00", status: "Failed")]).discrepancies
        #expect(found.map(\.type) == [.missingInProcessor], "a failed payment is not collected; a purchase before the window is not checked")
        #expect(found[0].transactionID == "p-pi_1" && found[0].expected == .amount(ExactDecimal("50")!) && found[0].actual == nil)
    }

    @Test func aPaymentNoPurchaseCarries() {
        let matcher = Self.match([], [Self.payment("pi_9", amount: "12.00", customer: "cus_7", line: 5),
                                      Self.payment("pi_8", amount: "3.00", status: "Failed")], userOf: ["cus_7": "user-7"])
        #expect(matcher.discrepancies.map(\.type) == [.missingInLedger], "a payment that was not collected is not missing")
        let missing = matcher.discrepancies[0]
        #expect(missing.paymentIntentID == "pi_9" && missing.userID == "user-7" && missing.actual == .amount(ExactDecimal("12")!))
        #expect(missing.detail.contains("export line 5"))
    }

    @Test func anAmountStripeCollectedDifferently() {
        let matcher = Self.match([Self.purchase("pi_1", "50")], [Self.payment("pi_1", amount: "45.00")])
        #expect(matcher.discrepancies.map(\.type) == [.amountMismatch])
        #expect(matcher.discrepancies[0].expected == .amount(ExactDecimal("50")!)
                && matcher.discrepancies[0].actual == .amount(ExactDecimal("45")!))
        #expect(matcher.matchedTransactions.isEmpty, "a purchase that disagrees is not marked reconciled")
    }

    @Test func aPaymentFromAnotherCustomer() {
        let matcher = Self.match([Self.purchase("pi_1", "50", customer: "")], [Self.payment("pi_1", amount: "50.00", customer: "cus_2")])
        #expect(matcher.discrepancies.map(\.type) == [.customerMismatch])
        #expect(matcher.discrepancies[0].expected == nil && matcher.discrepancies[0].actual == .text("cus_2"),
                "an owner with no billing customer is an empty expected value")
        #expect(matcher.matchedTransactions.isEmpty)
    }

    @Test func aPaymentInAnotherCurrency() {
        let matcher = Self.match([Self.purchase("pi_1", "50")], [Self.payment("pi_1", amount: "50.00", currency: "eur")],
                                 userOf: ["cus_1": "user-1"])
        #expect(matcher.discrepancies.map(\.type).sorted { $0.rawValue < $1.rawValue } == [.missingInProcessor, .unsupportedCurrency],
                "a payment in euros is not a collection of the purchase's dollars")
        let currency = matcher.discrepancies.first { $0.type == .unsupportedCurrency }
        #expect(currency?.expected == .text("usd") && currency?.actual == .text("eur") && currency?.userID == "user-1")
    }
}

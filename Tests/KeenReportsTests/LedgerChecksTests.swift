import Foundation
import Testing
@testable import KeenReports

/// The ledger's pure checks, fed values built here: the payment intent
/// checks, the Stripe refund match, the roll-forward and the kinds.
@Suite struct LedgerChecksTests {
    static let window = try! ReportWindow(from: "2026-11-10", to: "2026-11-20", zone: .utc)
    static let inside = try! ReportWindow.instant("2026-11-15T10:00:00Z", zone: .utc)
    static let before = try! ReportWindow.instant("2026-11-02T10:00:00Z", zone: .utc)

    static func transaction(_ id: String, _ amount: String, inWindow: Bool, customer: String = "cus_1") -> PaymentIntentGroup.Transaction {
        .init(transactionID: id, accountID: "acct", userID: "user", amount: ExactDecimal(amount)!, inWindow: inWindow, customerID: customer)
    }

    static func payment(_ id: String, amount: String, refunded: String, status: String = "Paid", created: Timestamp = inside) -> StripePayment {
        StripePayment(id: id, created: created, amount: ExactDecimal(amount)!, amountRefunded: ExactDecimal(refunded)!, currency: "usd",
                      status: status, customerID: "cus_1", line: 2)
    }

    @Test func kindsAndSigns() {
        #expect(LedgerKind(type: "refund", carriesIntent: true) == .paymentRefund)
        #expect(LedgerKind(type: "refund", carriesIntent: false) == .creditRefund)
        #expect(LedgerKind.paymentRefund.hasWrongSign(.zero) && !LedgerKind.paymentRefund.hasWrongSign(ExactDecimal("-1")!))
        #expect(LedgerKind.creditRefund.hasWrongSign(ExactDecimal("-1")!) && !LedgerKind.creditRefund.hasWrongSign(ExactDecimal("1")!))
        #expect(!LedgerKind.adjustment.hasWrongSign(ExactDecimal("-1")!) && !LedgerKind.adjustment.hasWrongSign(ExactDecimal("1")!))
    }

    @Test func refundsOfAnIntentNoPurchaseCarries() {
        let group = PaymentIntentGroup(intent: "pi_x", refunds: [Self.transaction("r1", "-5", inWindow: true),
                                                                  Self.transaction("r0", "-1", inWindow: false)])
        let found = PaymentIntentChecks.discrepancies(group, tolerance: .zero)
        #expect(found.map(\.type) == [.refundWithoutPurchase])
        #expect(found.first?.transactionID == "r1" && found.first?.actual == .amount(ExactDecimal("-5")!))
    }

    @Test func refundsThatTakeBackMoreThanThePurchaseGave() {
        var group = PaymentIntentGroup(intent: "pi_x", purchases: [Self.transaction("p", "50", inWindow: false)],
                                       refunds: [Self.transaction("r1", "-30", inWindow: false), Self.transaction("r2", "-25", inWindow: true)])
        let found = PaymentIntentChecks.discrepancies(group, tolerance: .zero)
        #expect(found.map(\.type) == [.refundExceedsPurchase])
        #expect(found.first?.transactionID == "p" && found.first?.expected == .amount(ExactDecimal("50")!)
                && found.first?.actual == .amount(ExactDecimal("55")!))
        #expect(PaymentIntentChecks.discrepancies(group, tolerance: ExactDecimal("5")!).isEmpty, "a difference at the tolerance passes")
        group.refunds = [Self.transaction("r1", "-30", inWindow: false), Self.transaction("r2", "-25", inWindow: false)]
        #expect(PaymentIntentChecks.discrepancies(group, tolerance: .zero).isEmpty, "no refund in the window")
        group.refunds = [Self.transaction("r2", "-50", inWindow: true)]
        #expect(PaymentIntentChecks.discrepancies(group, tolerance: .zero).isEmpty, "a full refund is no excess")
    }

    @Test func duplicatePurchasesAreAllNamed() {
        let group = PaymentIntentGroup(intent: "pi_x", purchases: [Self.transaction("p1", "50", inWindow: false),
                                                                    Self.transaction("p2", "50", inWindow: true)])
        let found = PaymentIntentChecks.discrepancies(group, tolerance: .zero)
        #expect(found.map(\.type) == [.duplicatePaymentIntent, .duplicatePaymentIntent])
        #expect(Set(found.compactMap(\.transactionID)) == ["p1", "p2"])
    }

    @Test func stripeRefundsMatchTheLedgersPaymentRefunds() {
        let group = PaymentIntentGroup(intent: "pi_x", purchases: [Self.transaction("p", "50", inWindow: true)],
                                       refunds: [Self.transaction("r", "-20", inWindow: true)])
        for (status, refunded, mismatch) in [("Partially refunded", "20.00", false), ("partially refunded", "10.00", true),
                                             ("Refunded", "50.00", true), ("Paid", "0.00", true)] {
            var matcher = StripeMatcher(payments: [Self.payment("pi_x", amount: "50.00", refunded: refunded, status: status)],
                                        window: Self.window, tolerance: .zero)
            matcher.consume(group)
            matcher.finish(userOf: [:])
            #expect(matcher.discrepancies.map(\.type) == (mismatch ? [.refundMismatch] : []), "\(status) \(refunded)")
            if mismatch {
                #expect(matcher.discrepancies[0].expected == .amount(ExactDecimal("20")!)
                        && matcher.discrepancies[0].actual == .amount(ExactDecimal(refunded)!))
                #expect(matcher.discrepancies[0].transactionID == "p")
            }
        }
    }

    @Test func aFullyRefundedPaymentIsCollectedNotMissing() {
        let group = PaymentIntentGroup(intent: "pi_x", purchases: [Self.transaction("p", "50", inWindow: true)],
                                       refunds: [Self.transaction("r", "-50", inWindow: true)])
        var matcher = StripeMatcher(payments: [Self.payment("pi_x", amount: "50.00", refunded: "50.00", status: "Refunded")],
                                    window: Self.window, tolerance: .zero)
        matcher.consume(group)
        matcher.finish(userOf: [:])
        #expect(matcher.discrepancies.isEmpty)
        #expect(matcher.matchedTransactions == ["p"])
    }

    @Test func aRefundMismatchOutsideTheWindowIsNotChecked() {
        let group = PaymentIntentGroup(intent: "pi_x", purchases: [Self.transaction("p", "50", inWindow: false)],
                                       refunds: [Self.transaction("r", "-20", inWindow: false)])
        var matcher = StripeMatcher(payments: [Self.payment("pi_x", amount: "50.00", refunded: "0.00", created: Self.before)],
                                    window: Self.window, tolerance: .zero)
        matcher.consume(group)
        #expect(matcher.discrepancies.isEmpty)
    }

    @Test func theDashboardsCountersAgainstTheLedger() {
        let sample = MetricsSample(sampledAt: Self.inside, purchased: ExactDecimal("362")!, consumed: ExactDecimal("453.5165")!,
                                   ledgerPurchased: ExactDecimal("355")!, ledgerConsumed: ExactDecimal("450.5165")!)
        let found = sample.discrepancies(tolerance: .zero, metricsZone: .utc, zone: .utc)
        #expect(found.map(\.type) == [.metricsPurchasedMismatch, .metricsConsumedMismatch])
        #expect(found[0].expected == .amount(ExactDecimal("355")!) && found[0].actual == .amount(ExactDecimal("362")!))
        #expect(found.allSatisfy { $0.accountID == nil && $0.transactionID == nil && $0.detail.contains("2026-11-15T10:00:00Z") })
        #expect(sample.discrepancies(tolerance: ExactDecimal("3")!, metricsZone: .utc, zone: .utc).map(\.type) == [.metricsPurchasedMismatch])
        #expect(sample.discrepancies(tolerance: ExactDecimal("7")!, metricsZone: .utc, zone: .utc).isEmpty)
        // Among themselves they follow the sample's time.
        let later = MetricsSample(sampledAt: Timestamp(unixMicroseconds: Self.inside.unixMicroseconds + 1), purchased: .zero,
                                  consumed: .zero, ledgerPurchased: ExactDecimal("1")!, ledgerConsumed: .zero)
        let rows = (later.discrepancies(tolerance: .zero, metricsZone: .utc, zone: .utc) + found).sorted(by: Discrepancy.precedes)
        #expect(rows.filter { $0.type == .metricsPurchasedMismatch }.map(\.sampledAt) == [Self.inside, later.sampledAt])
    }

    @Test func rollforwardTiesOutDayByDay() throws {
        let window = try ReportWindow(from: "2026-11-01T12:00:00Z", to: "2026-11-04", zone: .utc)
        func at(_ text: String) throws -> Timestamp { try ReportWindow.instant(text, zone: .utc) }
        var rollforward = LedgerRollforward(window: window)
        #expect(rollforward.dates.map(\.description) == ["2026-11-01", "2026-11-02", "2026-11-03"])
        rollforward.startAccount()
        rollforward.consume(createdAt: try at("2026-10-30T00:00:00Z"), kind: .purchase, amount: ExactDecimal("100")!, balanceAfter: ExactDecimal("100")!)
        rollforward.consume(createdAt: try at("2026-11-01T11:59:59Z"), kind: .usage, amount: ExactDecimal("-10")!, balanceAfter: ExactDecimal("90")!)
        rollforward.consume(createdAt: try at("2026-11-01T12:00:00Z"), kind: .usage, amount: ExactDecimal("-5")!, balanceAfter: ExactDecimal("85")!)
        // A break on the 3rd: 85 - 1 is not 80.
        rollforward.consume(createdAt: try at("2026-11-03T08:00:00Z"), kind: .paymentRefund, amount: ExactDecimal("-1")!, balanceAfter: ExactDecimal("80")!)
        rollforward.consume(createdAt: try at("2026-11-05T08:00:00Z"), kind: .adjustment, amount: ExactDecimal("3")!, balanceAfter: ExactDecimal("83")!)
        rollforward.finishAccount()
        rollforward.startAccount(balance: ExactDecimal("7")!)  // seeded from a checkpoint
        rollforward.consume(createdAt: try at("2026-11-02T00:00:00Z"), kind: .creditRefund, amount: ExactDecimal("2")!, balanceAfter: ExactDecimal("9")!)
        rollforward.finishAccount()
        let rows = rollforward.rows.map { $0.map(\.value.debugText) }
        #expect(rows == [
            ["2026-11-01", "97.0000", "0.0000", "-5.0000", "0.0000", "0.0000", "0.0000", "-5.0000", "92.0000", "0.0000", "1"],
            ["2026-11-02", "92.0000", "0.0000", "0.0000", "0.0000", "2.0000", "0.0000", "2.0000", "94.0000", "0.0000", "1"],
            ["2026-11-03", "94.0000", "0.0000", "0.0000", "-1.0000", "0.0000", "0.0000", "-1.0000", "89.0000", "-4.0000", "1"],
        ])
    }
}

private extension ReportValue {
    /// The cell as the CSV writes it, enough for these tests.
    var debugText: String {
        switch self {
        case .date(let date): date.description
        case .decimal(let value): value.formatted(places: 4)
        case .integer(let value): String(value)
        default: "\(self)"
        }
    }
}

/// Matches the ledger's payment intents against a Stripe export's payments.
/// Fed the intents the window touches one at a time; the export's payments
/// are held in memory (an export is thousands of rows, not millions).
struct StripeMatcher {
    let window: ReportWindow
    let tolerance: ExactDecimal
    private(set) var discrepancies: [Discrepancy] = []
    /// Purchases in the window that Stripe collected exactly: a collected USD
    /// payment of the same amount from the owner's customer (for `--mark`).
    private(set) var matchedTransactions: [String] = []
    /// Collected USD payments by payment intent id; the first row wins.
    private var collected: [String: StripePayment] = [:]
    private var carried: Set<String> = []
    private let payments: [StripePayment]

    init(payments: [StripePayment], window: ReportWindow, tolerance: ExactDecimal) {
        self.window = window
        self.tolerance = tolerance
        self.payments = payments
        for payment in payments where payment.isCollected && payment.isUSD && collected[payment.id] == nil {
            collected[payment.id] = payment
        }
    }

    /// The payment intents of the export's payments created in the window:
    /// the ledger's side of each is read with the window's own intents.
    var intentsInWindow: [String] {
        Set(payments.filter { inWindow($0.created) }.map(\.id)).sorted()
    }

    private func inWindow(_ instant: Timestamp) -> Bool { instant >= window.from && instant < window.to }


    /// One payment intent of the ledger.
    mutating func consume(_ group: PaymentIntentGroup) {
        for purchase in group.purchases { match(purchase, intent: group.intent) }
        guard let first = group.purchases.first, let payment = collected[group.intent],
              group.purchases.contains(where: \.inWindow) || inWindow(payment.created) || group.refunds.contains(where: \.inWindow),
              group.refunded.differs(from: payment.amountRefunded, beyond: tolerance) else { return }
        discrepancies.append(Discrepancy(.refundMismatch, accountID: first.accountID, userID: first.userID,
                                         transactionID: first.transactionID, paymentIntentID: group.intent,
                                         expected: .amount(group.refunded), actual: .amount(payment.amountRefunded),
                                         detail: "Stripe refunded \(payment.amountRefunded.formatted(places: 2)) (export line \(payment.line)) but the ledger's payment refunds take back \(group.refunded.formatted(places: 4))"))
    }

    /// One purchase that carries a payment intent.
    private mutating func match(_ purchase: PaymentIntentGroup.Transaction, intent: String) {
        carried.insert(intent)
        guard let payment = collected[intent] else {
            if purchase.inWindow {
                discrepancies.append(Discrepancy(.missingInProcessor, accountID: purchase.accountID, userID: purchase.userID,
                                                 transactionID: purchase.transactionID, paymentIntentID: intent,
                                                 expected: .amount(purchase.amount),
                                                 detail: "the purchase's payment intent is not a collected payment in the Stripe export"))
            }
            return
        }
        // Both sides have it: compare when either side falls in the window.
        guard purchase.inWindow || inWindow(payment.created) else { return }
        if purchase.amount.differs(from: payment.amount, beyond: tolerance) {
            discrepancies.append(Discrepancy(.amountMismatch, accountID: purchase.accountID, userID: purchase.userID,
                                             transactionID: purchase.transactionID, paymentIntentID: intent,
                                             expected: .amount(purchase.amount), actual: .amount(payment.amount),
                                             detail: "Stripe collected \(payment.amount.formatted(places: 2)) (export line \(payment.line)) for a purchase of \(purchase.amount.formatted(places: 4))"))
        }
        if purchase.inWindow, purchase.amount == payment.amount, payment.customerID == purchase.customerID {
            matchedTransactions.append(purchase.transactionID)
        }
        if payment.customerID != purchase.customerID {
            discrepancies.append(Discrepancy(.customerMismatch, accountID: purchase.accountID, userID: purchase.userID,
                                             transactionID: purchase.transactionID, paymentIntentID: intent,
                                             expected: purchase.customerID.isEmpty ? nil : .text(purchase.customerID),
                                             actual: payment.customerID.isEmpty ? nil : .text(payment.customerID),
                                             detail: "Stripe's customer '\(payment.customerID)' (export line \(payment.line)) is not the account owner's billing customer '\(purchase.customerID)'"))
        }
    }

    /// The export's side: collected payments no purchase carries, and payments in
    /// a currency the ledger does not hold. `userOf` names a customer's user.
    mutating func finish(userOf: [String: String]) {
        for payment in payments where inWindow(payment.created) {
            if !payment.isUSD {
                discrepancies.append(Discrepancy(.unsupportedCurrency, userID: userOf[payment.customerID], paymentIntentID: payment.id,
                                                 expected: .text("usd"), actual: .text(payment.currency),
                                                 detail: "export line \(payment.line) is in '\(payment.currency)'; one credit is one US dollar"))
            } else if payment.isCollected && !carried.contains(payment.id) && collected[payment.id]?.line == payment.line {
                discrepancies.append(Discrepancy(.missingInLedger, userID: userOf[payment.customerID], paymentIntentID: payment.id,
                                                 actual: .amount(payment.amount),
                                                 detail: "Stripe collected \(payment.amount.formatted(places: 2)) (export line \(payment.line)) that no purchase in the ledger carries"))
            }
        }
    }
}

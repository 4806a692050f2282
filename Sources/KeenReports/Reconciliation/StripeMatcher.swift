/// Matches the ledger's purchases against a Stripe export's payments.
/// Fed the `reconciliation_purchases` rows one at a time; the export's
/// payments are held in memory (an export is thousands of rows, not millions).
struct StripeMatcher {
    let window: ReportWindow
    let tolerance: ExactDecimal
    private(set) var discrepancies: [Discrepancy] = []
    /// Purchases in the window that Stripe collected exactly: a paid USD
    /// payment of the same amount from the owner's customer (for `--mark`).
    private(set) var matchedTransactions: [String] = []
    /// Paid USD payments by payment intent id; the first row wins.
    private var paid: [String: StripePayment] = [:]
    private var carried: Set<String> = []
    private let payments: [StripePayment]

    init(payments: [StripePayment], window: ReportWindow, tolerance: ExactDecimal) {
        self.window = window
        self.tolerance = tolerance
        self.payments = payments
        for payment in payments where payment.isPaid && payment.isUSD && paid[payment.id] == nil {
            paid[payment.id] = payment
        }
    }

    private func inWindow(_ instant: Timestamp) -> Bool { instant >= window.from && instant < window.to }

    /// One purchase that carries a payment intent.
    mutating func consume(_ row: CopyRow) throws {
        let transactionID = try row.uuid(0)
        let accountID = try row.uuid(1)
        let userID = try row.uuid(2)
        let intent = row.text(3) ?? ""
        let amount = try row.decimal(4) ?? .zero
        let purchaseInWindow = try row.boolean(5) ?? false
        let customer = row.text(6) ?? ""
        carried.insert(intent)
        guard let payment = paid[intent] else {
            if purchaseInWindow {
                discrepancies.append(Discrepancy(.missingInProcessor, accountID: accountID, userID: userID, transactionID: transactionID,
                                                 paymentIntentID: intent, expected: .amount(amount),
                                                 detail: "the purchase's payment intent is not a paid payment in the Stripe export"))
            }
            return
        }
        // Both sides have it: compare when either side falls in the window.
        guard purchaseInWindow || inWindow(payment.created) else { return }
        let difference = amount - payment.amount
        if (difference.isNegative ? -difference : difference) > tolerance {
            discrepancies.append(Discrepancy(.amountMismatch, accountID: accountID, userID: userID, transactionID: transactionID,
                                             paymentIntentID: intent, expected: .amount(amount), actual: .amount(payment.amount),
                                             detail: "Stripe collected \(payment.amount.formatted(places: 2)) (export line \(payment.line)) for a purchase of \(amount.formatted(places: 4))"))
        }
        if purchaseInWindow, amount == payment.amount, payment.customerID == customer, let transactionID {
            matchedTransactions.append(transactionID)
        }
        if payment.customerID != customer {
            discrepancies.append(Discrepancy(.customerMismatch, accountID: accountID, userID: userID, transactionID: transactionID,
                                             paymentIntentID: intent, expected: customer.isEmpty ? nil : .text(customer),
                                             actual: payment.customerID.isEmpty ? nil : .text(payment.customerID),
                                             detail: "Stripe's customer '\(payment.customerID)' (export line \(payment.line)) is not the account owner's billing customer '\(customer)'"))
        }
    }

    /// The export's side: paid payments no purchase carries, and payments in
    /// a currency the ledger does not hold. `userOf` names a customer's user.
    mutating func finish(userOf: [String: String]) {
        for payment in payments where inWindow(payment.created) {
            if !payment.isUSD {
                discrepancies.append(Discrepancy(.unsupportedCurrency, userID: userOf[payment.customerID], paymentIntentID: payment.id,
                                                 expected: .text("usd"), actual: .text(payment.currency),
                                                 detail: "export line \(payment.line) is in '\(payment.currency)'; one credit is one US dollar"))
            } else if payment.isPaid && !carried.contains(payment.id) && paid[payment.id]?.line == payment.line {
                discrepancies.append(Discrepancy(.missingInLedger, userID: userOf[payment.customerID], paymentIntentID: payment.id,
                                                 actual: .amount(payment.amount),
                                                 detail: "Stripe collected \(payment.amount.formatted(places: 2)) (export line \(payment.line)) that no purchase in the ledger carries"))
            }
        }
    }
}

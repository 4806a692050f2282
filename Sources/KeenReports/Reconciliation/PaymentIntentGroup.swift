/// One Stripe payment intent as the ledger holds it: the purchases that
/// carry it and its payment refunds, all time, each in ledger order. Read
/// from `reconciliation_intents`, one intent at a time.
struct PaymentIntentGroup: Equatable {
    struct Transaction: Equatable {
        let transactionID: String
        let accountID: String
        /// The account owner.
        let userID: String
        let amount: ExactDecimal
        let inWindow: Bool
        /// The account owner's `billing_customer_id`, "" when it has none.
        let customerID: String
    }

    let intent: String
    var purchases: [Transaction] = []
    var refunds: [Transaction] = []

    /// What Stripe paid back according to the ledger: minus the refunds' sum.
    var refunded: ExactDecimal { -refunds.reduce(ExactDecimal.zero) { $0 + $1.amount } }

    /// Adds a row of `reconciliation_intents` (ordered by intent) to the
    /// group being read: returns that group when the row starts another.
    static func gather(_ row: CopyRow, into group: inout PaymentIntentGroup?) throws(EngineError) -> PaymentIntentGroup? {
        let intent = row.text(0) ?? ""
        var finished: PaymentIntentGroup?
        if group?.intent != intent {
            finished = group
            group = PaymentIntentGroup(intent: intent)
        }
        let transaction = Transaction(transactionID: try row.uuid(2) ?? "", accountID: try row.uuid(3) ?? "",
                                      userID: try row.uuid(4) ?? "", amount: try row.decimal(5) ?? .zero,
                                      inWindow: try row.boolean(6) ?? false, customerID: row.text(7) ?? "")
        if row.text(1) == "purchase" { group!.purchases.append(transaction) } else { group!.refunds.append(transaction) }
        return finished
    }
}

/// The ledger's own checks of a payment intent (REPORTS.md): a payment
/// carried by more than one purchase, refunds of a payment no purchase
/// carries, and refunds that take back more than the purchase gave.
enum PaymentIntentChecks {
    static func discrepancies(_ group: PaymentIntentGroup, tolerance: ExactDecimal) -> [Discrepancy] {
        var found: [Discrepancy] = []
        if group.purchases.count > 1 && group.purchases.contains(where: \.inWindow) {
            for purchase in group.purchases {
                found.append(Discrepancy(.duplicatePaymentIntent, accountID: purchase.accountID, userID: purchase.userID,
                                         transactionID: purchase.transactionID, paymentIntentID: group.intent,
                                         actual: .amount(purchase.amount),
                                         detail: "more than one purchase carries this payment intent"))
            }
        }
        if group.purchases.isEmpty {
            for refund in group.refunds where refund.inWindow {
                found.append(Discrepancy(.refundWithoutPurchase, accountID: refund.accountID, userID: refund.userID,
                                         transactionID: refund.transactionID, paymentIntentID: group.intent,
                                         actual: .amount(refund.amount),
                                         detail: "a payment refund of \(refund.amount.formatted(places: 4)) names a payment intent that no purchase carries"))
            }
        }
        if group.purchases.count == 1, let purchase = group.purchases.first, group.refunds.contains(where: \.inWindow),
           group.refunded - purchase.amount > tolerance {
            found.append(Discrepancy(.refundExceedsPurchase, accountID: purchase.accountID, userID: purchase.userID,
                                     transactionID: purchase.transactionID, paymentIntentID: group.intent,
                                     expected: .amount(purchase.amount), actual: .amount(group.refunded),
                                     detail: "\(group.refunds.count) payment refund(s) take back \(group.refunded.formatted(places: 4)) of a purchase of \(purchase.amount.formatted(places: 4))"))
        }
        return found
    }
}

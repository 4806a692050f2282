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

    /// One row of `reconciliation_intents`: a purchase or payment refund and
    /// the payment intent it carries.
    struct Row: QueryRow {
        let intent: String
        let isPurchase: Bool
        let transaction: Transaction

        struct Columns {
            let intent, type, transactionID, accountID, userID, amount, inWindow, customerID: Int
        }

        static func columns(in result: ResultColumns) throws(EngineError) -> Columns {
            Columns(intent: try result.position(of: "payment_intent_id"), type: try result.position(of: "transaction_type"),
                    transactionID: try result.position(of: "transaction_id"), accountID: try result.position(of: "account_id"),
                    userID: try result.position(of: "user_id"), amount: try result.position(of: "amount"),
                    inWindow: try result.position(of: "in_window"), customerID: try result.position(of: "billing_customer_id"))
        }

        init(intent: String, isPurchase: Bool, transaction: Transaction) {
            self.intent = intent
            self.isPurchase = isPurchase
            self.transaction = transaction
        }

        init(_ row: CopyRow, _ columns: Columns) throws(EngineError) {
            intent = row.text(columns.intent) ?? ""
            isPurchase = LedgerKind(type: row.text(columns.type) ?? "", carriesIntent: true) == .purchase
            transaction = Transaction(transactionID: try row.uuid(columns.transactionID) ?? "",
                                      accountID: try row.uuid(columns.accountID) ?? "", userID: try row.uuid(columns.userID) ?? "",
                                      amount: try row.decimal(columns.amount) ?? .zero,
                                      inWindow: try row.boolean(columns.inWindow) ?? false,
                                      customerID: row.text(columns.customerID) ?? "")
        }
    }

    /// Adds a row of `reconciliation_intents` (ordered by intent) to the
    /// group being read: returns that group when the row starts another.
    static func gather(_ row: Row, into group: inout PaymentIntentGroup?) -> PaymentIntentGroup? {
        var finished: PaymentIntentGroup?
        if group?.intent != row.intent {
            finished = group
            group = PaymentIntentGroup(intent: row.intent)
        }
        if row.isPurchase { group!.purchases.append(row.transaction) } else { group!.refunds.append(row.transaction) }
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

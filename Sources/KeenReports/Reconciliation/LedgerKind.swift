/// What a ledger transaction is, from its `transaction_type` and whether it
/// carries a Stripe payment intent (REPORTS.md, "Refunds and adjustments"):
/// a refund that carries one sent money back through Stripe, a refund that
/// carries none gave credits back on the platform.
enum LedgerKind: Equatable, Sendable {
    case purchase
    case usage
    case paymentRefund
    case creditRefund
    case adjustment
    /// A `transaction_type` the schema does not name.
    case other

    init(type: String, carriesIntent: Bool) {
        switch TransactionType(rawValue: type) {
        case .purchase: self = .purchase
        case .usage: self = .usage
        case .refund: self = carriesIntent ? .paymentRefund : .creditRefund
        case .adjustment: self = .adjustment
        case nil: self = .other
        }
    }

    /// The sign REPORTS.md requires of its amount, if any: purchases and
    /// credit refunds add credits, usage and payment refunds take them.
    func hasWrongSign(_ amount: ExactDecimal) -> Bool {
        switch self {
        case .purchase, .creditRefund: amount <= .zero
        case .usage, .paymentRefund: amount >= .zero
        case .adjustment, .other: false
        }
    }

    /// How the discrepancy's sentence names it.
    var noun: String {
        switch self {
        case .purchase: "purchase"
        case .usage: "usage"
        case .paymentRefund: "payment refund"
        case .creditRefund: "credit refund"
        case .adjustment: "adjustment"
        case .other: "transaction"
        }
    }
}

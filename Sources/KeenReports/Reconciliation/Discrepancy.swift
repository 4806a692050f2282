/// The kinds of discrepancy REPORTS.md defines, in its order.
public enum DiscrepancyType: String, Sendable, CaseIterable {
    case chainBreak = "CHAIN_BREAK"
    case balanceMismatch = "BALANCE_MISMATCH"
    case lifetimePurchasedMismatch = "LIFETIME_PURCHASED_MISMATCH"
    case lifetimeSpentMismatch = "LIFETIME_SPENT_MISMATCH"
    case accountUserMismatch = "ACCOUNT_USER_MISMATCH"
    case signViolation = "SIGN_VIOLATION"
    case usageWithoutSession = "USAGE_WITHOUT_SESSION"
    case sessionCostMismatch = "SESSION_COST_MISMATCH"
    case unbilledSession = "UNBILLED_SESSION"
    case duplicatePaymentIntent = "DUPLICATE_PAYMENT_INTENT"
    case missingPaymentIntent = "MISSING_PAYMENT_INTENT"
    case refundWithoutPurchase = "REFUND_WITHOUT_PURCHASE"
    case refundExceedsPurchase = "REFUND_EXCEEDS_PURCHASE"
    case missingInProcessor = "MISSING_IN_PROCESSOR"
    case missingInLedger = "MISSING_IN_LEDGER"
    case amountMismatch = "AMOUNT_MISMATCH"
    case customerMismatch = "CUSTOMER_MISMATCH"
    case unsupportedCurrency = "UNSUPPORTED_CURRENCY"
    case refundMismatch = "REFUND_MISMATCH"
    case metricsPurchasedMismatch = "METRICS_PURCHASED_MISMATCH"
    case metricsConsumedMismatch = "METRICS_CONSUMED_MISMATCH"
    /// A month finance closed (`keen-reports close`) no longer has the ledger it closed with.
    case closedPeriodChanged = "CLOSED_PERIOD_CHANGED"
}

/// One row of `reconciliation_discrepancies`. A field that does not apply is
/// nil (an empty CSV field, JSON null).
public struct Discrepancy: Sendable, Equatable {
    /// What `expected` and `actual` hold: an amount (written with 4 places)
    /// or an identifier (a user id, a customer id, a currency).
    public enum Value: Sendable, Equatable {
        case amount(ExactDecimal)
        case text(String)
    }

    public let type: DiscrepancyType
    public var accountID: String?
    public var userID: String?
    public var transactionID: String?
    public var sessionID: String?
    public var paymentIntentID: String?
    public var expected: Value?
    public var actual: Value?
    public var detail: String
    /// The `system_metrics` sample a METRICS_ row is about: such rows have
    /// no ids, and among themselves follow this time.
    public var sampledAt: Timestamp?
    /// The closed month (`2026-11`) a CLOSED_PERIOD_CHANGED row is about.
    public var closedMonth: String?

    public init(_ type: DiscrepancyType, accountID: String? = nil, userID: String? = nil, transactionID: String? = nil,
                sessionID: String? = nil, paymentIntentID: String? = nil, expected: Value? = nil, actual: Value? = nil,
                detail: String, sampledAt: Timestamp? = nil) {
        self.sampledAt = sampledAt
        self.type = type
        self.accountID = accountID
        self.userID = userID
        self.transactionID = transactionID
        self.sessionID = sessionID
        self.paymentIntentID = paymentIntentID
        self.expected = expected
        self.actual = actual
        self.detail = detail
    }

    public static let columns = [
        ReportColumn(name: "type", type: .text, meaning: "the check that failed"),
        ReportColumn(name: "account_id", type: .uuid, meaning: "credit_accounts.id"),
        ReportColumn(name: "user_id", type: .uuid, meaning: "the account owner, else the session's or the customer's user"),
        ReportColumn(name: "transaction_id", type: .uuid, meaning: "credit_transactions.id"),
        ReportColumn(name: "session_id", type: .uuid, meaning: "agent_sessions.id"),
        ReportColumn(name: "payment_intent_id", type: .text, meaning: "the Stripe payment intent"),
        ReportColumn(name: "expected", type: .text, scale: 4, meaning: "what the check expected (amounts with 4 places)"),
        ReportColumn(name: "actual", type: .text, scale: 4, meaning: "what was found (amounts with 4 places)"),
        ReportColumn(name: "detail", type: .text, meaning: "a sentence saying what is wrong"),
    ]

    var row: KeyValuePairs<String, ReportValue> {
        func value(_ value: Value?) -> ReportValue {
            switch value {
            case .amount(let amount): .decimal(amount)
            case .text(let text): .text(text)
            case nil: .null
            }
        }
        return ["type": .text(type.rawValue), "account_id": .uuid(accountID), "user_id": .uuid(userID),
                "transaction_id": .uuid(transactionID), "session_id": .uuid(sessionID), "payment_intent_id": .text(paymentIntentID),
                "expected": value(expected), "actual": value(actual), "detail": .text(detail)]
    }

    /// REPORTS.md's order: type, account_id, transaction_id,
    /// payment_intent_id, empty values first; then session_id, so that two
    /// sessions of one account keep a fixed order and reruns are identical;
    /// then the sample's time, for the METRICS_ rows.
    static func precedes(_ lhs: Discrepancy, _ rhs: Discrepancy) -> Bool {
        let keys: [(String?, String?)] = [(lhs.type.rawValue, rhs.type.rawValue), (lhs.accountID, rhs.accountID),
                                          (lhs.transactionID, rhs.transactionID), (lhs.paymentIntentID, rhs.paymentIntentID),
                                          (lhs.sessionID, rhs.sessionID)]
        for (left, right) in keys where left != right {
            guard let left else { return true }
            guard let right else { return false }
            return left.utf8.lexicographicallyPrecedes(right.utf8)
        }
        return (lhs.sampledAt?.unixMicroseconds ?? .min) < (rhs.sampledAt?.unixMicroseconds ?? .min)
    }
}

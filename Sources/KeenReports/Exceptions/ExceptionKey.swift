/// What makes one discrepancy the same exception from night to night: its
/// type and what it names — the transaction, else the payment intent, else
/// the session, else the account, else the metrics day (docs/finance.md).
/// A `CLOSED_PERIOD_CHANGED` row names the closed month and its row.
struct ExceptionKey: Hashable, Sendable, Comparable {
    enum Subject: Hashable, Sendable {
        case transaction(String)
        case paymentIntent(String)
        case session(String)
        case account(String)
        case metricsDay(CivilDate)
        case closedMonthRow(month: String, transaction: String)

        /// The `names` column: what kind of thing the exception is about.
        var kind: String {
            switch self {
            case .transaction: "transaction"
            case .paymentIntent: "payment_intent"
            case .session: "session"
            case .account: "account"
            case .metricsDay: "metrics_day"
            case .closedMonthRow: "closed_month_row"
            }
        }

        /// The `subject` column: the id, the day, or `month/transaction`.
        var text: String {
            switch self {
            case .transaction(let id), .paymentIntent(let id), .session(let id), .account(let id): id
            case .metricsDay(let day): day.description
            case .closedMonthRow(let month, let transaction): month + "/" + transaction
            }
        }

        init?(kind: String, text: String) {
            switch kind {
            case "transaction": self = .transaction(text)
            case "payment_intent": self = .paymentIntent(text)
            case "session": self = .session(text)
            case "account": self = .account(text)
            case "metrics_day":
                guard let day = CivilDate(text) else { return nil }
                self = .metricsDay(day)
            case "closed_month_row":
                let parts = text.split(separator: "/", maxSplits: 1)
                guard parts.count == 2 else { return nil }
                self = .closedMonthRow(month: String(parts[0]), transaction: String(parts[1]))
            default: return nil
            }
        }
    }

    let type: DiscrepancyType
    let subject: Subject

    /// `CHAIN_BREAK/transaction/6f1c…`: the `key` column.
    var text: String { "\(type.rawValue)/\(subject.kind)/\(subject.text)" }

    /// A discrepancy's key; `metricsZone` says which day a METRICS_ sample belongs to.
    init(_ discrepancy: Discrepancy, metricsZone: ReportTimeZone) {
        type = discrepancy.type
        if type == .closedPeriodChanged, let month = discrepancy.closedMonth, let id = discrepancy.transactionID {
            subject = .closedMonthRow(month: month, transaction: id)
        } else if let id = discrepancy.transactionID {
            subject = .transaction(id)
        } else if let id = discrepancy.paymentIntentID {
            subject = .paymentIntent(id)
        } else if let id = discrepancy.sessionID {
            subject = .session(id)
        } else if let id = discrepancy.accountID {
            subject = .account(id)
        } else {
            subject = .metricsDay(metricsZone.localDate(of: discrepancy.sampledAt ?? Timestamp(unixMicroseconds: 0)))
        }
    }

    init(type: DiscrepancyType, subject: Subject) {
        self.type = type
        self.subject = subject
    }

    /// The key column's text, in byte order: the register's fixed order.
    static func < (lhs: ExceptionKey, rhs: ExceptionKey) -> Bool {
        lhs.text.utf8.lexicographicallyPrecedes(rhs.text.utf8)
    }
}

extension DiscrepancyType {
    /// How a night checks again an exception an earlier night found, when
    /// tonight's window does not reach what it names.
    enum Recheck {
        /// The named account's ledger, read again (its transactions' checks).
        case ledger
        /// Every account is in every night's ledger pass: tonight's checks decide.
        case everyNight
        case session
        case paymentIntent
        /// Against tonight's Stripe export, when it has the payment.
        case stripe
        case metricsDay
        /// Tonight's verification of the month, when it verifies it.
        case closedMonth
    }

    var recheck: Recheck {
        switch self {
        case .chainBreak, .accountUserMismatch, .signViolation, .usageWithoutSession, .missingPaymentIntent: .ledger
        case .balanceMismatch, .lifetimePurchasedMismatch, .lifetimeSpentMismatch: .everyNight
        case .sessionCostMismatch, .unbilledSession: .session
        case .duplicatePaymentIntent, .refundWithoutPurchase, .refundExceedsPurchase: .paymentIntent
        case .missingInProcessor, .missingInLedger, .amountMismatch, .customerMismatch, .unsupportedCurrency, .refundMismatch: .stripe
        case .metricsPurchasedMismatch, .metricsConsumedMismatch: .metricsDay
        case .closedPeriodChanged: .closedMonth
        }
    }
}

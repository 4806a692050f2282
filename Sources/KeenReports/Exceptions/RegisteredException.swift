/// One row of finance's exception register: a discrepancy carried from night
/// to night under its key, open until it is no longer reported or the
/// transaction it names is marked `reconciled`.
struct RegisteredException: Sendable, Equatable {
    enum ClosedReason: String, Sendable {
        /// Checked again and not found: the ledger or the export was corrected.
        case noLongerReported = "no_longer_reported"
        /// The transaction it names was marked `reconciled` in the ledger
        /// while the exception was open: finance settled it.
        case reconciled
    }

    let key: ExceptionKey
    var accountID: String?
    var userID: String?
    var transactionID: String?
    var sessionID: String?
    var paymentIntentID: String?
    /// The named transaction's `reconciliation_status` when last checked
    /// (`unset` for NULL); nil when it names no transaction that exists.
    var transactionStatus: String?
    /// As the night's discrepancy writes them (amounts with 4 places).
    var expected: String?
    var actual: String?
    var detail: String
    let firstSeen: CivilDate
    /// The last night that reported it.
    var lastSeen: CivilDate
    /// Nights it has been open, tonight included.
    var nightsOpen: Int64
    var closedOn: CivilDate?
    var closedReason: ClosedReason?

    /// A new exception, first seen tonight.
    init(_ discrepancy: Discrepancy, key: ExceptionKey, on night: CivilDate) {
        self.key = key
        firstSeen = night
        lastSeen = night
        nightsOpen = 1
        detail = discrepancy.detail
        update(from: discrepancy)
    }

    init(key: ExceptionKey, accountID: String?, userID: String?, transactionID: String?, sessionID: String?,
         paymentIntentID: String?, transactionStatus: String?, expected: String?, actual: String?, detail: String, firstSeen: CivilDate,
         lastSeen: CivilDate, nightsOpen: Int64) {
        self.key = key
        self.accountID = accountID
        self.userID = userID
        self.transactionID = transactionID
        self.sessionID = sessionID
        self.paymentIntentID = paymentIntentID
        self.transactionStatus = transactionStatus
        self.expected = expected
        self.actual = actual
        self.detail = detail
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.nightsOpen = nightsOpen
    }

    /// Tonight's figures of a discrepancy reported again.
    mutating func update(from discrepancy: Discrepancy) {
        func text(_ value: Discrepancy.Value?) -> String? {
            switch value {
            case .amount(let amount): amount.formatted(places: 4)
            case .text(let text): text
            case nil: nil
            }
        }
        accountID = discrepancy.accountID ?? accountID
        userID = discrepancy.userID ?? userID
        transactionID = discrepancy.transactionID ?? transactionID
        sessionID = discrepancy.sessionID ?? sessionID
        paymentIntentID = discrepancy.paymentIntentID ?? paymentIntentID
        expected = text(discrepancy.expected)
        actual = text(discrepancy.actual)
        detail = discrepancy.detail
    }

    /// Whole days from `firstSeen` to `night`.
    func age(on night: CivilDate) -> Int64 {
        night.daysSinceUnixEpoch - firstSeen.daysSinceUnixEpoch
    }

    static let columns = [
        ReportColumn(name: "status", type: .text, meaning: "open, or closed tonight"),
        ReportColumn(name: "key", type: .text, meaning: "type/names/subject: the same exception night after night"),
        ReportColumn(name: "type", type: .text, meaning: "the discrepancy type"),
        ReportColumn(name: "names", type: .text,
                     meaning: "what it is about: transaction, payment_intent, session, account, metrics_day or closed_month_row"),
        ReportColumn(name: "subject", type: .text, meaning: "the id, the day, or month/transaction it names"),
        ReportColumn(name: "first_seen", type: .date, meaning: "the first night that reported it (a day in --tz)"),
        ReportColumn(name: "last_seen", type: .date, meaning: "the last night that reported it"),
        ReportColumn(name: "nights_open", type: .integer, meaning: "nights it has been open, this one included"),
        ReportColumn(name: "expected", type: .text, scale: 4, meaning: "as the last report of it gives it (amounts with 4 places)"),
        ReportColumn(name: "actual", type: .text, scale: 4, meaning: "as the last report of it gives it (amounts with 4 places)"),
        ReportColumn(name: "closed_on", type: .date, meaning: "the night it closed; empty while open"),
        ReportColumn(name: "closed_reason", type: .text, meaning: "no_longer_reported or reconciled; empty while open"),
        ReportColumn(name: "account_id", type: .uuid, meaning: "credit_accounts.id"),
        ReportColumn(name: "user_id", type: .uuid, meaning: "the user it concerns"),
        ReportColumn(name: "transaction_id", type: .uuid, meaning: "credit_transactions.id"),
        ReportColumn(name: "session_id", type: .uuid, meaning: "agent_sessions.id"),
        ReportColumn(name: "payment_intent_id", type: .text, meaning: "the Stripe payment intent"),
        ReportColumn(name: "reconciliation_status", type: .text,
                     meaning: "the named transaction's status tonight (unset for NULL; empty without a transaction)"),
        ReportColumn(name: "detail", type: .text, meaning: "the last report's sentence"),
    ]

    var row: [ReportValue] {
        // An amount is written as the discrepancy list writes it: a number, not text a spreadsheet might run.
        func figure(_ text: String?) -> ReportValue { text.flatMap(ExactDecimal.init).map(ReportValue.decimal) ?? .text(text) }
        return [.text(closedOn == nil ? "open" : "closed"), .text(key.text), .text(key.type.rawValue), .text(key.subject.kind),
                .text(key.subject.text), .date(firstSeen), .date(lastSeen), .integer(nightsOpen), figure(expected), figure(actual),
                closedOn.map(ReportValue.date) ?? .null, .text(closedReason?.rawValue), .uuid(accountID), .uuid(userID),
                .uuid(transactionID), .uuid(sessionID), .text(paymentIntentID), .text(transactionStatus), .text(detail)]
    }
}

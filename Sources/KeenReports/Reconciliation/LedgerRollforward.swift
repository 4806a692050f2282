/// `ledger_rollforward`: the credit liability day by day (REPORTS.md). Fed
/// the ledger one account at a time in ledger order (created_at, then id),
/// as the reconciliation's ledger pass reads it, so it holds one account's
/// balance and one row of sums per day of the window, whatever the ledger's
/// length.
///
/// A day's opening balance is the sum over accounts of each account's
/// balance at the day's start (the `balance_after` of its last transaction
/// before it, 0 before the first); its closing balance the same at its end,
/// which is the next day's opening. The flows are the day's amounts by kind,
/// so `difference` is non-zero exactly where some account's chain breaks.
struct LedgerRollforward {
    struct Flows {
        var purchases = ExactDecimal.zero
        var usage = ExactDecimal.zero
        var paymentRefunds = ExactDecimal.zero
        var creditRefunds = ExactDecimal.zero
        var adjustments = ExactDecimal.zero
        /// Every amount of the day, kinds the schema does not name included.
        var netChange = ExactDecimal.zero
        var transactions: Int64 = 0

        mutating func add(_ kind: LedgerKind, amount: ExactDecimal) {
            switch kind {
            case .purchase: purchases += amount
            case .usage: usage += amount
            case .paymentRefund: paymentRefunds += amount
            case .creditRefund: creditRefunds += amount
            case .adjustment: adjustments += amount
            case .other: break
            }
            netChange += amount
            transactions += 1
        }
    }

    static let columns = ["date", "opening_balance", "purchases", "usage", "payment_refunds", "credit_refunds",
                          "adjustments", "net_change", "closing_balance", "difference", "transactions"]

    /// The days of the window in its zone, oldest first.
    let dates: [CivilDate]
    /// `boundaries[k]` starts the part of day k inside the window; the last
    /// one is the window's end.
    let boundaries: [Timestamp]
    /// The sum of the accounts' balances at each boundary.
    private var balances: [ExactDecimal]
    private var flows: [Flows]
    /// The account being read: its balance so far, and the first boundary
    /// its transactions have not passed yet.
    private var balance = ExactDecimal.zero
    private var nextBoundary = 0

    init(window: ReportWindow) {
        let first = window.zone.localDate(of: window.from)
        let last = window.zone.localDate(of: Timestamp(unixMicroseconds: window.to.unixMicroseconds - 1))
        let count = Int(last.daysSinceUnixEpoch - first.daysSinceUnixEpoch) + 1
        dates = (0..<count).map { first.adding(days: $0) }
        boundaries = [window.from] + dates.dropFirst().map { window.zone.startOfDay($0) } + [window.to]
        balances = Array(repeating: .zero, count: count + 1)
        flows = Array(repeating: Flows(), count: count)
    }

    /// Starts an account whose balance before the rows that follow is
    /// `balance` (0 for a ledger read from its beginning).
    mutating func startAccount(balance: ExactDecimal = .zero) {
        self.balance = balance
        nextBoundary = 0
    }

    /// One transaction of the current account, in ledger order; any time,
    /// before, in or after the window.
    mutating func consume(createdAt: Timestamp, kind: LedgerKind, amount: ExactDecimal, balanceAfter: ExactDecimal) {
        passBoundaries(before: createdAt)
        if createdAt >= boundaries[0] && createdAt < boundaries[boundaries.count - 1] {
            flows[nextBoundary - 1].add(kind, amount: amount)
        }
        balance = balanceAfter
    }

    /// Ends the current account: its balance holds at every boundary left.
    mutating func finishAccount() {
        while nextBoundary < boundaries.count {
            balances[nextBoundary] += balance
            nextBoundary += 1
        }
    }

    /// The account's balance holds at every boundary up to `instant`.
    private mutating func passBoundaries(before instant: Timestamp) {
        while nextBoundary < boundaries.count && boundaries[nextBoundary] <= instant {
            balances[nextBoundary] += balance
            nextBoundary += 1
        }
    }

    /// The report's rows, one per day.
    var rows: [KeyValuePairs<String, ReportValue>] {
        dates.indices.map { day in
            let opening = balances[day], closing = balances[day + 1], flow = flows[day]
            return ["date": .date(dates[day]), "opening_balance": .decimal(opening), "purchases": .decimal(flow.purchases),
                    "usage": .decimal(flow.usage), "payment_refunds": .decimal(flow.paymentRefunds),
                    "credit_refunds": .decimal(flow.creditRefunds), "adjustments": .decimal(flow.adjustments),
                    "net_change": .decimal(flow.netChange), "closing_balance": .decimal(closing),
                    "difference": .decimal(closing - opening - flow.netChange), "transactions": .integer(flow.transactions)]
        }
    }

    /// The window's totals as one row: the first day's opening, the last
    /// day's closing, the flows, differences and counts summed.
    var monthTotals: JSONValue {
        var total = Flows()
        var difference = ExactDecimal.zero
        for day in dates.indices {
            let flow = flows[day]
            total.purchases += flow.purchases
            total.usage += flow.usage
            total.paymentRefunds += flow.paymentRefunds
            total.creditRefunds += flow.creditRefunds
            total.adjustments += flow.adjustments
            total.netChange += flow.netChange
            total.transactions += flow.transactions
            difference += balances[day + 1] - balances[day] - flow.netChange
        }
        func amount(_ value: ExactDecimal) -> JSONValue { .string(value.formatted(places: 4)) }
        return .object([("opening_balance", amount(balances[0])), ("purchases", amount(total.purchases)),
                        ("usage", amount(total.usage)), ("payment_refunds", amount(total.paymentRefunds)),
                        ("credit_refunds", amount(total.creditRefunds)), ("adjustments", amount(total.adjustments)),
                        ("net_change", amount(total.netChange)), ("closing_balance", amount(balances[balances.count - 1])),
                        ("difference", amount(difference)), ("transactions", .integer(total.transactions))])
    }
}

/// The company dashboard's money against the ledger (REPORTS.md): the last
/// `system_metrics` sample of each day in `--metrics-tz` whose instant is in
/// the window, its `credits_purchased_today` and `credits_consumed_today`
/// against the ledger's purchases and usage from the start of its day up to
/// and including that instant.
struct MetricsSample: QueryRow, Equatable {
    let sampledAt: Timestamp
    let purchased: ExactDecimal
    let consumed: ExactDecimal
    let ledgerPurchased: ExactDecimal
    let ledgerConsumed: ExactDecimal

    struct Columns {
        let sampledAt, purchased, consumed, ledgerPurchased, ledgerConsumed: Int
    }

    static func columns(in result: ResultColumns) throws(EngineError) -> Columns {
        Columns(sampledAt: try result.position(of: "metric_timestamp"), purchased: try result.position(of: "credits_purchased_today"),
                consumed: try result.position(of: "credits_consumed_today"),
                ledgerPurchased: try result.position(of: "ledger_purchased"),
                ledgerConsumed: try result.position(of: "ledger_consumed"))
    }

    /// A row of `reconciliation_metrics`.
    init(_ row: CopyRow, _ columns: Columns) throws(EngineError) {
        sampledAt = try row.timestamp(columns.sampledAt) ?? Timestamp(unixMicroseconds: 0)
        purchased = try row.decimal(columns.purchased) ?? .zero
        consumed = try row.decimal(columns.consumed) ?? .zero
        ledgerPurchased = try row.decimal(columns.ledgerPurchased) ?? .zero
        ledgerConsumed = try row.decimal(columns.ledgerConsumed) ?? .zero
    }

    init(sampledAt: Timestamp, purchased: ExactDecimal, consumed: ExactDecimal, ledgerPurchased: ExactDecimal,
         ledgerConsumed: ExactDecimal) {
        self.sampledAt = sampledAt
        self.purchased = purchased
        self.consumed = consumed
        self.ledgerPurchased = ledgerPurchased
        self.ledgerConsumed = ledgerConsumed
    }

    /// What disagrees by more than `tolerance`; `zone` writes the sample's time.
    func discrepancies(tolerance: ExactDecimal, metricsZone: ReportTimeZone, zone: ReportTimeZone) -> [Discrepancy] {
        var formatter = TimestampFormatter(zone: zone)
        let when = formatter.format(sampledAt)
        var found: [Discrepancy] = []
        if ledgerPurchased.differs(from: purchased, beyond: tolerance) {
            found.append(Discrepancy(.metricsPurchasedMismatch, expected: .amount(ledgerPurchased), actual: .amount(purchased),
                                     detail: "the sample of \(when) says \(purchased.formatted(places: 4)) credits purchased today (\(metricsZone.identifier)), the ledger \(ledgerPurchased.formatted(places: 4))",
                                     sampledAt: sampledAt))
        }
        if ledgerConsumed.differs(from: consumed, beyond: tolerance) {
            found.append(Discrepancy(.metricsConsumedMismatch, expected: .amount(ledgerConsumed), actual: .amount(consumed),
                                     detail: "the sample of \(when) says \(consumed.formatted(places: 4)) credits consumed today (\(metricsZone.identifier)), the ledger \(ledgerConsumed.formatted(places: 4))",
                                     sampledAt: sampledAt))
        }
        return found
    }
}

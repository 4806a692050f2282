/// The company dashboard's money against the ledger (REPORTS.md): the last
/// `system_metrics` sample of each day in `--metrics-tz` whose instant is in
/// the window, its `credits_purchased_today` and `credits_consumed_today`
/// against the ledger's purchases and usage from the start of its day up to
/// and including that instant.
struct MetricsSample: Equatable {
    let sampledAt: Timestamp
    let purchased: ExactDecimal
    let consumed: ExactDecimal
    let ledgerPurchased: ExactDecimal
    let ledgerConsumed: ExactDecimal

    /// A row of `reconciliation_metrics`.
    init(_ row: CopyRow) throws(EngineError) {
        sampledAt = try row.timestamp(0) ?? Timestamp(unixMicroseconds: 0)
        purchased = try row.decimal(1) ?? .zero
        consumed = try row.decimal(2) ?? .zero
        ledgerPurchased = try row.decimal(3) ?? .zero
        ledgerConsumed = try row.decimal(4) ?? .zero
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

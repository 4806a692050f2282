/// What the reconciliation's check pass found, before anything is written:
/// the ledger pass (its totals, the next checkpoint's accounts, the day's
/// roll-forward), every discrepancy in REPORTS.md's order, the open items,
/// and the purchases Stripe collected exactly (for `--mark`).
struct ReconciliationFindings {
    let ledger: LedgerPass
    let discrepancies: [Discrepancy]
    let ageing: OpenItemsAgeing
    let matched: [String]
    /// The checkpoint the ledger pass started from, or why it made a full pass.
    let seed: LedgerCheckpoint?
    let whyFull: String?
    /// Transactions before the seed's end that the next checkpoint counts.
    let countedBeforeSeed: Int64
}

extension Reconciler {
    /// Reads the queries in `transaction` and runs every check on their rows.
    /// Writes nothing, in the database or on disk.
    func check(_ options: Options, transaction: ReportTransaction) throws -> ReconciliationFindings {
        let window = options.window
        let (seed, whyFull, countedBeforeSeed) = try checkedSeed(options.nightly, window: window, transaction: transaction)
        var ledger = LedgerPass(window: window, tolerance: options.tolerance, seed: seed, keepsCheckpoint: options.nightly != nil,
                                rollsForward: options.nightly != nil)
        try transaction.stream(catalog.query(named: "reconciliation_ledger"), as: LedgerRow.self, more: ["since": seed?.asOf.utcText]) {
            ledger.consume($0)
        }
        ledger.finishAccount()
        var discrepancies = ledger.discrepancies

        // A night probes the day's ended sessions; a long window hashes the ledger's usage.
        let sessions = options.nightly == nil ? "reconciliation_sessions" : "reconciliation_sessions_ended"
        try transaction.stream(catalog.query(named: sessions), as: SessionBilling.self) { session in
            if let discrepancy = session.discrepancy(tolerance: options.tolerance) { discrepancies.append(discrepancy) }
        }
        var matcher = options.stripePayments.map { StripeMatcher(payments: $0, window: window, tolerance: options.tolerance) }
        func checkIntent(_ group: PaymentIntentGroup) {
            discrepancies += PaymentIntentChecks.discrepancies(group, tolerance: options.tolerance)
            matcher?.consume(group)
        }
        var group: PaymentIntentGroup?
        try transaction.stream(catalog.query(named: "reconciliation_intents"),
                               as: PaymentIntentGroup.Row.self, more: ["intents": matcher.map { ArrayLiteral.text($0.intentsInWindow) }]) { row in
            if let finished = PaymentIntentGroup.gather(row, into: &group) { checkIntent(finished) }
        }
        if let group { checkIntent(group) }
        if var matcher {
            var userOf: [String: String] = [:]
            try transaction.stream(catalog.query(named: "reconciliation_customers"), as: BillingCustomer.self) { customer in
                userOf[customer.customerID] = customer.userID
            }
            matcher.finish(userOf: userOf)
            discrepancies += matcher.discrepancies
        }
        try transaction.stream(catalog.query(named: "reconciliation_metrics"), as: MetricsSample.self,
                               more: ["metrics_tz": options.metricsZone.identifier]) { sample in
            discrepancies += sample.discrepancies(tolerance: options.tolerance, metricsZone: options.metricsZone, zone: window.zone)
        }
        discrepancies.sort(by: Discrepancy.precedes)
        var ageing = OpenItemsAgeing()
        try transaction.stream(catalog.query(named: "reconciliation_ageing"), as: OpenItemsAgeing.Row.self) { ageing.add($0) }
        return ReconciliationFindings(ledger: ledger, discrepancies: discrepancies, ageing: ageing,
                                      matched: matcher?.matchedTransactions ?? [], seed: seed, whyFull: whyFull,
                                      countedBeforeSeed: countedBeforeSeed)
    }

    /// The checkpoint a night may start from, checked against the ledger as
    /// it is now: when the count of transactions created in its recounted
    /// days has changed (a backdated insert, a delete), history moved behind
    /// it and the night makes a full pass instead. Returns the seed, or why
    /// none, and the count of transactions before the seed's end that the
    /// next checkpoint counts (the pass itself counts the rows it reads).
    private func checkedSeed(_ nightly: NightlyLedger?, window: ReportWindow,
                             transaction: ReportTransaction) throws -> (seed: LedgerCheckpoint?, whyFull: String?, counted: Int64) {
        guard let nightly else { return (nil, nil, 0) }
        guard let checkpoint = nightly.checkpoint else { return (nil, nightly.whyFull, 0) }
        var checked: Int64 = 0, kept: Int64 = 0
        try transaction.stream(catalog.query(named: "reconciliation_recent_count"), as: RecentTransactionCounts.self,
                               more: ["since": checkpoint.asOf.utcText, "checked_from": checkpoint.countedFrom.utcText,
                                      "kept_from": LedgerCheckpoint.countedFrom(asOf: window.to).utcText]) { counts in
            checked = counts.checked
            kept = counts.kept
        }
        guard checked == checkpoint.transactionsCounted else {
            return (nil, "history changed behind the checkpoint of \(checkpoint.day?.description ?? "?"): \(checked) transactions were created from \(checkpoint.countedFrom.utcText) to \(checkpoint.asOf.utcText), the checkpoint counted \(checkpoint.transactionsCounted)", 0)
        }
        return (checkpoint, nil, kept)
    }
}

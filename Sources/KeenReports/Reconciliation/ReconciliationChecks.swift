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
        let matcher = options.stripePayments.map { StripeMatcher(payments: $0, window: window, tolerance: options.tolerance) }
        let intents = try checkIntents("reconciliation_intents", more: ["intents": matcher.map { ArrayLiteral.text($0.intentsInWindow) }],
                                       matcher: matcher, tolerance: options.tolerance, transaction: transaction)
        discrepancies += intents.discrepancies
        try transaction.stream(catalog.query(named: "reconciliation_metrics"), as: MetricsSample.self,
                               more: ["metrics_tz": options.metricsZone.identifier]) { sample in
            discrepancies += sample.discrepancies(tolerance: options.tolerance, metricsZone: options.metricsZone, zone: window.zone)
        }
        discrepancies.sort(by: Discrepancy.precedes)
        var ageing = OpenItemsAgeing()
        try transaction.stream(catalog.query(named: "reconciliation_ageing"), as: OpenItemsAgeing.Row.self) { ageing.add($0) }
        return ReconciliationFindings(ledger: ledger, discrepancies: discrepancies, ageing: ageing,
                                      matched: intents.matched, seed: seed, whyFull: whyFull,
                                      countedBeforeSeed: countedBeforeSeed)
    }

    /// The payment intents `query` reads (ordered by intent), one at a time,
    /// through the intent checks and, with an export, the Stripe matcher;
    /// what they found, and the purchases Stripe collected exactly.
    func checkIntents(_ query: String, more: [String: String?], matcher: StripeMatcher?, tolerance: ExactDecimal,
                      transaction: ReportTransaction) throws -> (discrepancies: [Discrepancy], matched: [String]) {
        var matcher = matcher
        var found: [Discrepancy] = []
        func checkIntent(_ group: PaymentIntentGroup) {
            found += PaymentIntentChecks.discrepancies(group, tolerance: tolerance)
            matcher?.consume(group)
        }
        var group: PaymentIntentGroup?
        try transaction.stream(catalog.query(named: query), as: PaymentIntentGroup.Row.self, more: more) { row in
            if let finished = PaymentIntentGroup.gather(row, into: &group) { checkIntent(finished) }
        }
        if let group { checkIntent(group) }
        guard var matcher else { return (found, []) }
        var userOf: [String: String] = [:]
        try transaction.stream(catalog.query(named: "reconciliation_customers"), as: BillingCustomer.self) { customer in
            userOf[customer.customerID] = customer.userID
        }
        matcher.finish(userOf: userOf)
        return (found + matcher.discrepancies, matcher.matchedTransactions)
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

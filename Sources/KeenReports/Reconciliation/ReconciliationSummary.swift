/// `reconciliation_summary.json`: the window, the ledger's totals in it, the
/// balance check, the count of every discrepancy type and the verdict.
struct ReconciliationSummary {
    let json: JSONValue

    /// The transaction types and statuses the schema names; others found in
    /// the data are listed after them.
    static let knownTypes = TransactionType.allCases.map(\.rawValue)
    static let knownStatuses = ReconciliationStatus.allCases.map(\.rawValue) + [LedgerTotals.unsetStatus]

    init(options: Reconciler.Options, parameters: JSONValue, generatedAt: String, totals: LedgerTotals, balanced: Bool,
         discrepancies: [Discrepancy], ageing: OpenItemsAgeing, marked: LedgerMarking.Outcome?,
         ledgerPass: JSONValue? = nil, exceptions: JSONValue? = nil, closedPeriods: JSONValue? = nil) {
        func amount(_ value: ExactDecimal) -> JSONValue { .string(value.formatted(places: 4)) }
        func countAndSum(_ entry: LedgerTotals.CountAndSum) -> JSONValue {
            .object([("count", .integer(entry.count)), ("sum", amount(entry.sum))])
        }
        func buckets(_ buckets: [OpenItemsAgeing.Bucket]) -> JSONValue {
            .object(buckets.map { ($0.name, countAndSum(LedgerTotals.CountAndSum(count: $0.count, sum: $0.sum))) })
        }
        func table(_ entries: [String: LedgerTotals.CountAndSum], known: [String]) -> JSONValue {
            let keys = known + entries.keys.filter { !known.contains($0) }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            return .object(keys.map { key in
                (key, countAndSum(entries[key] ?? LedgerTotals.CountAndSum()))
            })
        }
        var counts: [DiscrepancyType: Int64] = [:]
        for discrepancy in discrepancies { counts[discrepancy.type, default: 0] += 1 }
        var formatter = TimestampFormatter(zone: options.window.zone)
        let clean = discrepancies.isEmpty && balanced
        var members: [(String, JSONValue)] = [
            ("report", .string("reconciliation_summary")),
            ("parameters", parameters),
            ("generated_at", .string(generatedAt)),
            ("window", .object([("from", .string(formatter.format(options.window.from))),
                                ("to", .string(formatter.format(options.window.to))),
                                ("tz", .string(options.window.zone.identifier))])),
            ("accounts", .integer(totals.accounts)),
            ("transactions_by_type", table(totals.byType, known: Self.knownTypes)),
            ("transactions_by_reconciliation_status", table(totals.byStatus, known: Self.knownStatuses)),
            ("refunds", .object([("payment", countAndSum(totals.paymentRefunds)), ("credit", countAndSum(totals.creditRefunds))])),
            ("opening_balance_total", amount(totals.openingBalanceTotal)),
            ("closing_balance_total", amount(totals.closingBalanceTotal)),
            ("net_change", amount(totals.netChange)),
            ("balanced", .bool(balanced)),
            ("discrepancy_counts", .object(DiscrepancyType.allCases.map { ($0.rawValue, .integer(counts[$0] ?? 0)) })),
            ("discrepancies", .integer(Int64(discrepancies.count))),
        ]
        if let payments = options.stripePayments {
            members.append(("stripe_export", .object([
                ("payments", .integer(Int64(payments.count))),
                // Collected: paid, or refunded in part or whole.
                ("paid_payments", .integer(Int64(payments.filter(\.isCollected).count))),
            ])))
        }
        if let ledgerPass { members.append(("ledger_pass", ledgerPass)) }
        members.append(("pending_ageing", buckets(ageing.pending)))
        members.append(("disputed_ageing", buckets(ageing.disputed)))
        if let exceptions { members.append(("exceptions", exceptions)) }
        if let closedPeriods { members.append(("closed_periods", closedPeriods)) }
        if let marking = options.marking, let marked {
            members.append(("run_id", .string(marking.runID)))
            members.append(("marked", .object([("reconciled", .integer(Int64(marked.reconciled))),
                                               ("disputed", .integer(Int64(marked.disputed))),
                                               ("skipped", .integer(Int64(marked.skipped))),
                                               ("dry_run", .bool(marking.dryRun))])))
        }
        members.append(("status", .string(clean ? "clean" : "discrepancies")))
        json = .object(members)
    }
}

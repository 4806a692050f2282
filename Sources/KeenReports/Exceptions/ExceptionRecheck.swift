/// How a night checks again the exceptions earlier nights found that its
/// own window does not report: each kind by what it names (docs/finance.md),
/// so the cost follows the open exceptions, not the history behind them.
struct ExceptionRecheck {
    /// The carried exceptions' discrepancies found again tonight.
    private(set) var found: [Discrepancy] = []
    /// The carried exceptions tonight checked (found again or not).
    private(set) var checked = Set<ExceptionKey>()

    /// Checks `carried` in `transaction`; `closedMonthsVerified` are the closed
    /// months tonight's verification read.
    init(_ carried: [RegisteredException], options: Reconciler.Options, catalog: ReportCatalog,
         transaction: ReportTransaction, closedMonthsVerified: Set<String>) throws {
        guard let earliest = carried.map(\.firstSeen).min() else { return }
        let zone = options.window.zone
        // From the first night that found one of them to tonight's end.
        let span = try ReportWindow(from: min(zone.startOfDay(earliest), options.window.from), to: options.window.to, zone: zone)
        let byCheck = Dictionary(grouping: carried) { $0.key.type.recheck }
        var found: [Discrepancy] = []

        if let ledger = byCheck[.ledger] {
            let accounts = Set(ledger.compactMap(\.accountID)).sorted()
            var pass = LedgerPass(window: span, tolerance: options.tolerance)
            try transaction.stream(catalog.query(named: "reconciliation_recheck_ledger"), as: LedgerRow.self,
                                   more: ["accounts": ArrayLiteral.text(accounts)]) { pass.consume($0) }
            pass.finishAccount()
            found += pass.discrepancies
            checked.formUnion(ledger.filter { $0.accountID != nil }.map(\.key))
        }
        // Every account is in every night's ledger pass: tonight's own checks decided.
        checked.formUnion(byCheck[.everyNight]?.map(\.key) ?? [])

        if let sessions = byCheck[.session] {
            try transaction.stream(catalog.query(named: "reconciliation_recheck_sessions"), as: SessionBilling.self,
                                   more: ["sessions": ArrayLiteral.text(Set(sessions.compactMap(\.sessionID)).sorted())]) { session in
                if let discrepancy = session.discrepancy(tolerance: options.tolerance) { found.append(discrepancy) }
            }
            checked.formUnion(sessions.filter { $0.sessionID != nil }.map(\.key))
        }

        // Stripe's side is checked against tonight's export; without one it waits.
        let intents = (byCheck[.paymentIntent] ?? []) + (options.stripePayments == nil ? [] : byCheck[.stripe] ?? [])
        if !intents.isEmpty {
            let matcher = options.stripePayments.map { StripeMatcher(payments: $0, window: span, tolerance: options.tolerance) }
            found += try Reconciler(catalog: catalog).checkIntents(
                "reconciliation_recheck_intents",
                more: ["from": span.from.utcText, "to": span.to.utcText,
                       "intents": ArrayLiteral.text(Set(intents.compactMap(\.paymentIntentID)).sorted())],
                matcher: matcher, tolerance: options.tolerance, transaction: transaction).discrepancies
            checked.formUnion(intents.filter { $0.paymentIntentID != nil }.map(\.key))
        }

        // Each metrics day again, as the night that found it checked it.
        let days = Set((byCheck[.metricsDay] ?? []).compactMap { exception -> CivilDate? in
            if case .metricsDay(let day) = exception.key.subject { day } else { nil }
        })
        for day in days.sorted() {
            let metricsZone = options.metricsZone
            try transaction.stream(catalog.query(named: "reconciliation_metrics"), as: MetricsSample.self,
                                   more: ["from": metricsZone.startOfDay(day).utcText,
                                          "to": metricsZone.startOfDay(day.adding(days: 1)).utcText,
                                          "metrics_tz": metricsZone.identifier]) { sample in
                found += sample.discrepancies(tolerance: options.tolerance, metricsZone: metricsZone, zone: zone)
            }
        }
        checked.formUnion((byCheck[.metricsDay] ?? []).map(\.key))

        checked.formUnion((byCheck[.closedMonth] ?? []).filter { exception in
            if case .closedMonthRow(let month, _) = exception.key.subject { closedMonthsVerified.contains(month) } else { false }
        }.map(\.key))

        // Only what was carried: a re-read account may show other rows, which their own nights report.
        let keys = Set(carried.map(\.key))
        self.found = found.filter { keys.contains(ExceptionKey($0, metricsZone: options.metricsZone)) }
    }
}

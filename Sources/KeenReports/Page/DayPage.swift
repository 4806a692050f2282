/// A day's `index.html` (FORMATS.md, HTML): one self-contained page, no
/// script and nothing loaded from anywhere, with the run's status first, the
/// headline figures, and a chart with its table for each section.
struct DayPage {
    let model: DayPageModel

    var html: String {
        let sections = model.sections
        var body = "<h1>keen-reports: \(HTML.escape(model.date))</h1>"
        body += "<p class=\"meta\">Day \(HTML.escape(model.date)) in \(HTML.escape(model.zone)) · generated <span class=\"nowrap\">\(HTML.escape(model.generatedAt))</span> · keen-reports \(HTML.escape(model.engineVersion)) · <a href=\"../index.html\">all days</a></p>"
        body += restated
        body += closedMonths(sections.reconciliation?.register)
        body += status
        body += headline(sections.headline)
        body += hourly(sections.hours)
        body += phases(sections.phases)
        body += tools(sections.tools)
        body += trees(sections.depths, mismatches: sections.depthMismatches)
        body += customers(sections.customers)
        body += events(sections.events)
        body += connections(sections.connections)
        body += health(sections.health)
        body += reconciliation(sections.reconciliation)
        body += register(sections.reconciliation)
        body += rollforward(sections.rollforward)
        return Self.document(title: "keen-reports \(model.date)", body: body)
    }

    static func document(title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(HTML.escape(title))</title><style>\(HTML.style)</style></head>
        <body>\(body)</body></html>

        """
    }

    /// The manifest's verdict, failed reports named first.
    private var status: String {
        let failed = model.reports.filter { !$0.succeeded }
        if !failed.isEmpty {
            var html = "<div class=\"status bad\" role=\"alert\"><b>\(failed.count) report\(failed.count == 1 ? "" : "s") failed (exit status \(model.exitStatus)).</b> The other sections are complete.<ul>"
            for report in failed {
                html += "<li><b>\(HTML.escape(report.name))</b>: \(HTML.escape(report.error ?? "failed"))</li>"
            }
            return html + "</ul></div>"
        }
        if model.exitStatus == 1 {
            return "<div class=\"status warn\"><b>Every report was written; the reconciliation found discrepancies</b> (exit status 1).</div>"
        }
        return "<div class=\"status ok\"><b>Every report was written and the ledger is clean</b> (exit status \(model.exitStatus)).</div>"
    }

    /// Reports whose numbers changed since the day was first written: first, since someone may have signed them.
    private var restated: String {
        guard !model.restated.isEmpty else { return "" }
        var html = "<div class=\"status bad\" role=\"alert\"><b>RESTATED.</b> This night replaced a day written before, and these reports changed:<ul>"
        for entry in model.restated { html += "<li><b>\(HTML.escape(entry.report))</b>: \(HTML.escape(entry.rows))</li>" }
        return html + "</ul></div>"
    }

    /// A month finance signed off whose ledger changed: first, with the restatements.
    private func closedMonths(_ register: RegisterFigures?) -> String {
        guard let register, !register.changedMonths.isEmpty else { return "" }
        var html = "<div class=\"status bad\" role=\"alert\"><b>A closed month changed.</b> Finance signed these months off, and their ledger is no longer what was signed (see CLOSED_PERIOD_CHANGED in the reconciliation):<ul>"
        for month in register.changedMonths { html += "<li>\(HTML.escape(month.sentence))</li>" }
        return html + "</ul></div>"
    }

    /// The figures rounded for reading (separators, cents), each with its
    /// change from the day before; the tables below keep the files' text.
    private func headline(_ figures: DaySections.Headline) -> String {
        guard case .object(let pairs) = figures.json else { return "" }
        let headline = HeadlineFigures(pairs.map { (key: $0.0, value: $0.1) }, previous: model.previousHeadline)
        var html = "<section aria-label=\"headline figures\"><div class=\"figures\">"
        for figure in headline.figures {
            html += "<div class=\"figure\"><b>\(HTML.escape(figure.value))</b><span>\(HTML.escape(figure.label))</span>"
            if let change = figure.change { html += "<span class=\"change\">\(HTML.escape(change)) on the day before</span>" }
            html += "</div>"
        }
        html += "<div class=\"figure\"><b>\(HTML.escape(figures.reconciliationStatus ?? "not run"))</b><span>reconciliation</span></div>"
        return html + "</div></section>"
    }

    /// A section with its chart and, beside it, the chart's numbers.
    /// `tableOpen`: the table is what the section is read for, shown unfolded.
    private func section(_ heading: String, chart: SVGChart?, table: String, note: String = "", tableOpen: Bool = false) -> String {
        section(heading, charts: chart.map { [$0] } ?? [], table: table, note: note, tableOpen: tableOpen)
    }

    private func section(_ heading: String, charts: [SVGChart], table: String, note: String = "", tableOpen: Bool = false) -> String {
        var html = "<section><h2>\(HTML.escape(heading))</h2>\(note)"
        for chart in charts { html += "<figure>\(chart.svg)</figure>" }
        return html + "<details\(tableOpen ? " open" : "")><summary>The numbers</summary>\(table)</details></section>"
    }

    private func missing(_ heading: String, _ why: String) -> String {
        "<section><h2>\(HTML.escape(heading))</h2><p class=\"empty\">\(HTML.escape(why))</p></section>"
    }

    private func hourly(_ hours: [DaySections.Hour]?) -> String {
        let heading = "Sessions per hour"
        guard let hours else { return missing(heading, "dashboard_metrics was not written for this day.") }
        guard hours.contains(where: { $0.started > 0 }) else { return missing(heading, "No sessions this day.") }
        let labels = hours.map { String($0.start.dropFirst(11).prefix(5)) }
        let chart = SVGChart(title: "Sessions started and completed per hour", kind: .bars, categories: labels,
                             series: [.init(name: "started", values: hours.map { Double($0.started) }),
                                      .init(name: "completed", values: hours.map { Double($0.completed) })],
                             xAxis: "hour of the day (\(model.zone))", yAxis: "sessions")
        let table = HTML.table(caption: "Sessions per hour", header: ["hour_bucket", "sessions_started", "sessions_completed"],
                               rows: hours.map { [$0.start, String($0.started), String($0.completed)] }, numeric: [1, 2])
        return section(heading, chart: chart, table: table)
    }

    private func phases(_ phases: [DaySections.Phase]?) -> String {
        let heading = "Time per phase"
        guard let phases else { return missing(heading, "phase_time_breakdown was not written for this day.") }
        guard phases.contains(where: { $0.transitions > 0 }) else { return missing(heading, "No phase transitions this day.") }
        let chart = SVGChart(title: "Total time spent per phase, in lifecycle order", kind: .bars, categories: phases.map(\.phase),
                             series: [.init(name: "total time", values: phases.map { Double($0.totalMilliseconds) / 3_600_000 })],
                             xAxis: "phase", yAxis: "total time (hours)")
        let table = HTML.table(caption: "Time per phase", header: ["phase", "transitions", "total_ms"],
                               rows: phases.map { [$0.phase, String($0.transitions), String($0.totalMilliseconds)] }, numeric: [1, 2])
        return section(heading, chart: chart, table: table)
    }

    private func tools(_ tools: [DaySections.Tool]?) -> String {
        let heading = "The \(DaySections.topCount) most expensive tools"
        guard let tools else { return missing(heading, "cost_per_tool was not written for this day.") }
        guard !tools.isEmpty else { return missing(heading, "No tool executions this day.") }
        let chart = SVGChart(title: "Latency percentiles of the tools with the largest total cost", kind: .bars,
                             categories: tools.map(\.name),
                             series: [.init(name: "p50", values: tools.map { Double($0.p50) ?? 0 }),
                                      .init(name: "p95", values: tools.map { Double($0.p95) ?? 0 }),
                                      .init(name: "p99", values: tools.map { Double($0.p99) ?? 0 })],
                             xAxis: "tool, largest total cost first", yAxis: "execution time (ms)")
        let table = HTML.table(caption: "Tools by total cost",
                               header: ["tool_name", "executions", "total_cost (USD)", "p50_execution_ms", "p95_execution_ms", "p99_execution_ms"],
                               rows: tools.map { [$0.name, String($0.executions), $0.totalCost, $0.p50, $0.p95, $0.p99] },
                               numeric: [1, 2, 3, 4, 5])
        return section(heading, chart: chart, table: table)
    }

    private func trees(_ depths: [DaySections.Depth]?, mismatches: Int64?) -> String {
        let heading = "Agent trees: sessions per recursion depth"
        guard let depths else { return missing(heading, "recursion_depth was not written for this day.") }
        guard !depths.isEmpty else { return missing(heading, "No agent trees rooted this day.") }
        let chart = SVGChart(title: "Sessions per recursion depth of the trees rooted this day", kind: .bars,
                             categories: depths.map { String($0.depth) },
                             series: [.init(name: "sessions", values: depths.map { Double($0.sessions) })],
                             xAxis: "depth (root = 0)", yAxis: "sessions")
        let note = (mismatches ?? 0) > 0
            ? "<p class=\"status warn\">\(mismatches!) \(mismatches == 1 ? "session stores" : "sessions store") a session_depth that differs from the depth counted from their links.</p>" : ""
        let table = HTML.table(caption: "Sessions per depth", header: ["depth", "sessions", "total_cost (USD)"],
                               rows: depths.map { [String($0.depth), String($0.sessions), $0.totalCost] }, numeric: [0, 1, 2])
        return section(heading, chart: chart, table: table, note: note)
    }

    private func customers(_ customers: [DaySections.Customer]?) -> String {
        let heading = "The \(DaySections.topCount) customers with the largest cost"
        guard let customers else { return missing(heading, "daily_usage was not written for this day.") }
        guard !customers.isEmpty else { return missing(heading, "No customer activity this day.") }
        let chart = SVGChart(title: "Session cost of the customers with the largest cost", kind: .bars,
                             categories: customers.map(\.username),
                             series: [.init(name: "total cost", values: customers.map { Double($0.totalCostText) ?? 0 })],
                             xAxis: "customer (username)", yAxis: "cost (USD)")
        let table = HTML.table(caption: "Customers by cost", header: ["username", "user_id", "sessions_started", "total_tokens_consumed", "total_cost (USD)"],
                               rows: customers.map { [$0.username, $0.userID, String($0.sessions), String($0.tokens), $0.totalCostText] },
                               numeric: [2, 3, 4])
        return section(heading, chart: chart, table: table)
    }

    private func reconciliation(_ reconciliation: DaySections.Reconciliation?) -> String {
        let heading = "Billing reconciliation"
        guard let reconciliation else { return missing(heading, "The reconciliation was not written for this day.") }
        let found = reconciliation.counts.filter { $0.count > 0 }
        let metrics = reconciliation.counts.filter { $0.type.hasPrefix("METRICS_") }.reduce(0) { $0 + $1.count }
        let dashboard = "<p class=\"status \(metrics == 0 ? "ok" : "warn")\">Dashboard against the ledger (system_metrics' money counters): \(metrics == 0 ? "they agree" : "<b>\(metrics) \(metrics == 1 ? "mismatch" : "mismatches")</b>; see the METRICS_ rows").</p>"
        var note = "<p class=\"status \(reconciliation.status == "clean" ? "ok" : "warn")\"><b>\(HTML.escape(reconciliation.status))</b>: "
        note += "\(reconciliation.total) discrepancies; opening balances \(HTML.escape(reconciliation.openingBalance)) USD, closing \(HTML.escape(reconciliation.closingBalance)) USD, net change \(HTML.escape(reconciliation.netChange)) USD (\(reconciliation.balanced ? "balanced" : "NOT balanced")).</p>"
        let chart = found.isEmpty ? nil : SVGChart(title: "Discrepancies per type", kind: .bars, categories: found.map(\.type),
                                                   series: [.init(name: "discrepancies", values: found.map { Double($0.count) })],
                                                   xAxis: "type", yAxis: "discrepancies")
        var table = HTML.table(caption: "Discrepancies per type", header: ["type", "count"],
                               rows: reconciliation.counts.map { [$0.type, String($0.count)] }, numeric: [1])
        if !reconciliation.firstRows.isEmpty {
            table += HTML.table(caption: "The first \(reconciliation.firstRows.count) of \(reconciliation.total) discrepancies",
                                header: reconciliation.columns, rows: reconciliation.firstRows)
        }
        table += HTML.table(caption: "Refunds of the day", header: ["kind", "count", "sum (USD)"], rows: reconciliation.refunds,
                            numeric: [1, 2])
        table += HTML.table(caption: "How long open items have waited (age at the end of the day)",
                            header: ["age", "pending purchases", "pending sum (USD)", "disputed", "disputed sum (USD)"],
                            rows: reconciliation.ageing, numeric: [1, 2, 3, 4])
        return section(heading, chart: chart, table: table, note: note + dashboard)
    }

    private func events(_ table: PageTable?) -> String {
        let heading = "Live updates: delivery per event type"
        guard let table else { return missing(heading, "realtime_events was not written for this day.") }
        guard !table.rows.isEmpty else { return missing(heading, "No streaming events this day.") }
        // The chart draws each type's share over its sources; the table keeps the CSV's rows.
        var totals: [(type: String, events: Double, delivered: Double)] = []
        for (type, (events, delivered)) in zip(table.column("event_type"), zip(table.numbers("events"), table.numbers("delivered"))) {
            if totals.last?.type != type { totals.append((type, 0, 0)) }
            totals[totals.count - 1].events += events
            totals[totals.count - 1].delivered += delivered
        }
        let chart = SVGChart(title: "Share of events delivered to at least one connection, per event type", kind: .bars,
                             categories: totals.map(\.type),
                             series: [.init(name: "delivered (%)", values: totals.map { $0.events > 0 ? 100 * $0.delivered / $0.events : 0 })],
                             xAxis: "event type", yAxis: "delivered (%)")
        let html = table.html(caption: "Events per type and source", numeric: ["events", "delivered", "delivery_rate"])
        return section(heading, chart: chart, table: html)
    }

    private func connections(_ table: PageTable?) -> String {
        let heading = "Live connections per client type"
        guard let table else { return missing(heading, "websocket_connections was not written for this day.") }
        guard !table.rows.isEmpty else { return missing(heading, "No connections this day.") }
        let chart = SVGChart(title: "Connections made, and those open at the day's end that stopped answering", kind: .bars,
                             categories: table.column("client_type"),
                             series: [.init(name: "connections", values: table.numbers("connections")),
                                      .init(name: "stale at the end", values: table.numbers("stale"))],
                             xAxis: "client type", yAxis: "connections")
        let html = table.html(caption: "Connections per client type",
                              numeric: ["connections", "open_at_end", "stale", "p50_duration_s", "p95_duration_s"])
        return section(heading, chart: chart, table: html)
    }

    private func health(_ table: PageTable?) -> String {
        let heading = "Platform health per hour"
        guard let table else { return missing(heading, "system_health was not written for this day.") }
        guard table.column("samples").contains(where: { $0 != "0" }) else { return missing(heading, "No system_metrics samples this day.") }
        let labels = table.column("hour_bucket").map { String($0.dropFirst(11).prefix(5)) }
        // An hour without samples is drawn at 0; its table row is empty.
        let response = SVGChart(title: "Average response time per hour", kind: .lines, categories: labels,
                                series: [.init(name: "avg response time", values: table.numbers("avg_response_time_ms"))],
                                xAxis: "hour of the day (\(model.zone))", yAxis: "response time (ms)")
        let errors = SVGChart(title: "Average error rate per hour", kind: .lines, categories: labels,
                              series: [.init(name: "error rate", values: table.numbers("avg_error_rate").map { 100 * $0 })],
                              xAxis: "hour of the day (\(model.zone))", yAxis: "errors (%)")
        let html = table.html(caption: "Samples per hour", numeric: ["samples", "avg_response_time_ms", "avg_error_rate"])
        return section(heading, charts: [response, errors], table: html)
    }

    /// Finance reads the roll-forward as a table, so it has no chart.
    private func rollforward(_ table: PageTable?) -> String {
        let heading = "Credit roll-forward"
        guard let table else { return missing(heading, "The roll-forward was not written for this day.") }
        let html = table.html(caption: "The credit liability (USD): opening, flows, closing", numeric: Set(table.columns.dropFirst()))
        let ties = table.column("difference").allSatisfy { $0 == "0.0000" }
        let note = "<p class=\"status \(ties ? "ok" : "warn")\">\(ties ? "The day ties out: closing = opening + net change." : "<b>The day does not tie out</b>: a chain of balances is broken (see CHAIN_BREAK).")</p>"
        return section(heading, chart: nil, table: html, note: note, tableOpen: true)
    }

    /// Finance's register: what is new, what still waits and for how long, what closed.
    private func register(_ reconciliation: DaySections.Reconciliation?) -> String {
        let heading = "Exception register"
        guard let reconciliation, let register = reconciliation.register else {
            return missing(heading, "The exception register was not written for this day.")
        }
        let note = "<p class=\"status \(register.open == 0 ? "ok" : "warn")\">\(HTML.escape(register.lines[0])).</p>"
        var table = HTML.table(caption: "Open exceptions by days since first seen", header: ["age", "open exceptions"],
                               rows: register.ageing.map { [RegisterFigures.bucketLabels[$0.bucket] ?? $0.bucket, String($0.count)] },
                               numeric: [1])
        if !reconciliation.oldestOpen.isEmpty {
            table += HTML.table(caption: "The \(reconciliation.oldestOpen.count) oldest open exceptions of \(register.open)",
                                header: DaySections.Reconciliation.oldestOpenColumns, rows: reconciliation.oldestOpen, numeric: [1])
        }
        return section(heading, chart: nil, table: table, note: note, tableOpen: true)
    }
}

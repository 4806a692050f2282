/// `phase_time_breakdown`: PostgreSQL counts and sums per phase and sends
/// the duration distribution; Swift writes the five lifecycle phases in
/// order, empty ones included, with exact averages and percentiles.
enum PhaseTimeBreakdownAggregation: ReportAggregation {
    static let name = "phase_time_breakdown"
    static let outputColumns = [
        "phase_time_breakdown": ["phase", "transitions", "sessions", "total_ms", "avg_ms", "p50_ms", "p95_ms", "max_ms"],
    ]
    static let lifecycle = ["EXPLORE", "PLAN", "FOUND", "SUMMON", "COMPLETE"]

    private struct Totals {
        var transitions: Int64 = 0
        var sessions: Int64 = 0
        var totalMs: Int64 = 0
        var knownDurations: Int64 = 0
        var maxMs: Int64?
    }

    static func run(_ context: ReportContext, outputs: ReportOutputs) throws {
        var totals: [String: Totals] = [:]
        try context.stream("phase_time_totals") { row in
            totals[row.text(0) ?? ""] = Totals(transitions: try row.integer(1) ?? 0, sessions: try row.integer(2) ?? 0,
                                               totalMs: try row.integer(3) ?? 0, knownDurations: try row.integer(4) ?? 0,
                                               maxMs: try row.integer(5))
        }
        var durations: [String: ValueCounts] = [:]
        try context.stream("phase_time_durations") { row in
            durations[row.text(0) ?? "", default: ValueCounts()].add(try row.integer(1) ?? 0, count: try row.integer(2) ?? 0)
        }
        let output = outputs["phase_time_breakdown"]
        for phase in lifecycle {
            let phaseTotals = totals[phase] ?? Totals()
            let distribution = (durations[phase] ?? ValueCounts()).sorted()
            try output.write([
                .text(phase),
                .integer(phaseTotals.transitions),
                .integer(phaseTotals.sessions),
                .integer(phaseTotals.totalMs),
                // NULL durations count 0 in total_ms but are left out of the average.
                phaseTotals.knownDurations > 0
                    ? .decimal(ExactDecimal(phaseTotals.totalMs).divided(by: phaseTotals.knownDurations, scale: 3)) : .null,
                .decimal(distribution.percentile(Fractions.p50)),
                .decimal(distribution.percentile(Fractions.p95)),
                .integer(phaseTotals.maxMs),
            ])
        }
    }
}

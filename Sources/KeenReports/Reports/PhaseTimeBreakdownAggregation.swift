/// `phase_time_breakdown`: PostgreSQL counts and sums per phase and sends
/// the duration distribution; Swift writes the five lifecycle phases in
/// order, empty ones included, with exact averages and percentiles.
enum PhaseTimeBreakdownAggregation: ReportAggregation {
    static let name = "phase_time_breakdown"
    static let outputColumns = [
        "phase_time_breakdown": ["phase", "transitions", "sessions", "total_ms", "avg_ms", "p50_ms", "p95_ms", "max_ms"],
    ]
    static let lifecycle = ["EXPLORE", "PLAN", "FOUND", "SUMMON", "COMPLETE"]

    /// One row of `phase_time_totals`: one phase's transitions, counted by the server.
    private struct Totals: QueryRow {
        var phase = ""
        var transitions: Int64 = 0
        var sessions: Int64 = 0
        var totalMs: Int64 = 0
        var knownDurations: Int64 = 0
        var maxMs: Int64?

        init() {}

        struct Columns {
            let phase, transitions, sessions, totalMs, knownDurations, maxMs: Int
        }

        static func columns(in result: ResultColumns) throws(EngineError) -> Columns {
            Columns(phase: try result.position(of: "phase"), transitions: try result.position(of: "transitions"),
                    sessions: try result.position(of: "sessions"), totalMs: try result.position(of: "total_ms"),
                    knownDurations: try result.position(of: "known_durations"), maxMs: try result.position(of: "max_ms"))
        }

        init(_ row: CopyRow, _ columns: Columns) throws(EngineError) {
            phase = row.text(columns.phase) ?? ""
            transitions = try row.integer(columns.transitions) ?? 0
            sessions = try row.integer(columns.sessions) ?? 0
            totalMs = try row.integer(columns.totalMs) ?? 0
            knownDurations = try row.integer(columns.knownDurations) ?? 0
            maxMs = try row.integer(columns.maxMs)
        }
    }

    /// One row of `phase_time_durations`: how many of a phase's transitions took one duration.
    private struct DurationCount: QueryRow {
        let phase: String
        let durationMs: Int64
        let transitions: Int64

        struct Columns {
            let phase, durationMs, transitions: Int
        }

        static func columns(in result: ResultColumns) throws(EngineError) -> Columns {
            Columns(phase: try result.position(of: "phase"), durationMs: try result.position(of: "duration_ms"),
                    transitions: try result.position(of: "transitions"))
        }

        init(_ row: CopyRow, _ columns: Columns) throws(EngineError) {
            phase = row.text(columns.phase) ?? ""
            durationMs = try row.integer(columns.durationMs) ?? 0
            transitions = try row.integer(columns.transitions) ?? 0
        }
    }

    static func run(_ context: ReportContext, outputs: ReportOutputs) throws {
        var totals: [String: Totals] = [:]
        try context.stream("phase_time_totals", as: Totals.self) { totals[$0.phase] = $0 }
        var durations: [String: ValueCounts] = [:]
        try context.stream("phase_time_durations", as: DurationCount.self) { count in
            durations[count.phase, default: ValueCounts()].add(count.durationMs, count: count.transitions)
        }
        let output = outputs["phase_time_breakdown"]
        for phase in lifecycle {
            let phaseTotals = totals[phase] ?? Totals()
            let distribution = (durations[phase] ?? ValueCounts()).sorted()
            try output.write([
                "phase": .text(phase),
                "transitions": .integer(phaseTotals.transitions),
                "sessions": .integer(phaseTotals.sessions),
                "total_ms": .integer(phaseTotals.totalMs),
                // NULL durations count 0 in total_ms but are left out of the average.
                "avg_ms": phaseTotals.knownDurations > 0
                    ? .decimal(ExactDecimal(phaseTotals.totalMs).divided(by: phaseTotals.knownDurations, scale: 3)) : .null,
                "p50_ms": .decimal(distribution.percentile(Fractions.p50)),
                "p95_ms": .decimal(distribution.percentile(Fractions.p95)),
                "max_ms": .integer(phaseTotals.maxMs),
            ])
        }
    }
}

/// `cost_per_tool`: PostgreSQL counts and sums per tool (parallel hash
/// aggregation is what it is good at) and sends each tool's execution-time
/// distribution as (value, count) pairs; Swift computes the rates, averages
/// and exact percentiles, which SQL's `percentile_cont` would get by sorting
/// every row and answer in binary floating point.
enum CostPerToolAggregation: ReportAggregation {
    static let name = "cost_per_tool"
    static let outputColumns = [
        "cost_per_tool": ["tool_name", "executions", "successes", "failures", "success_rate", "total_cost", "avg_cost",
                          "total_tokens", "avg_execution_ms", "p50_execution_ms", "p95_execution_ms", "p99_execution_ms",
                          "max_execution_ms", "sessions", "users"],
    ]

    private struct Totals {
        let tool: String
        let executions: Int64
        let successes: Int64
        let failures: Int64
        let totalCost: ExactDecimal
        let totalTokens: Int64
        let totalExecutionMs: Int64
        let maxExecutionMs: Int64?
        let sessions: Int64
        let users: Int64
    }

    static func run(_ context: ReportContext, outputs: ReportOutputs) throws {
        var totals: [Totals] = []
        try context.stream("cost_per_tool_totals") { row in
            totals.append(Totals(tool: row.text(0) ?? "", executions: try row.integer(1) ?? 0, successes: try row.integer(2) ?? 0,
                                 failures: try row.integer(3) ?? 0, totalCost: try row.decimal(4) ?? .zero,
                                 totalTokens: try row.integer(5) ?? 0, totalExecutionMs: try row.integer(6) ?? 0,
                                 maxExecutionMs: try row.integer(7), sessions: try row.integer(8) ?? 0,
                                 users: try row.integer(9) ?? 0))
        }
        var durations: [String: ValueCounts] = [:]
        try context.stream("cost_per_tool_durations") { row in
            durations[row.text(0) ?? "", default: ValueCounts()].add(try row.integer(1) ?? 0, count: try row.integer(2) ?? 0)
        }

        totals.sort { lhs, rhs in
            lhs.totalCost != rhs.totalCost ? lhs.totalCost > rhs.totalCost : lhs.tool.utf8.lexicographicallyPrecedes(rhs.tool.utf8)
        }
        let output = outputs["cost_per_tool"]
        for tool in totals {
            let distribution = (durations[tool.tool] ?? ValueCounts()).sorted()
            try output.write([
                .text(tool.tool),
                .integer(tool.executions),
                .integer(tool.successes),
                .integer(tool.failures),
                .decimal(ExactDecimal(tool.successes).divided(by: tool.executions, scale: 4)),
                .decimal(tool.totalCost),
                .decimal(tool.totalCost.divided(by: tool.executions, scale: 6)),
                .integer(tool.totalTokens),
                .decimal(ExactDecimal(tool.totalExecutionMs).divided(by: tool.executions, scale: 3)),
                .decimal(distribution.percentile(Fractions.p50)),
                .decimal(distribution.percentile(Fractions.p95)),
                .decimal(distribution.percentile(Fractions.p99)),
                .integer(tool.maxExecutionMs),
                .integer(tool.sessions),
                .integer(tool.users),
            ])
        }
    }
}

/// The percentile fractions reports use.
enum Fractions {
    static let p50 = ExactDecimal(units: 50, scale: 2)
    static let p95 = ExactDecimal(units: 95, scale: 2)
    static let p99 = ExactDecimal(units: 99, scale: 2)
}

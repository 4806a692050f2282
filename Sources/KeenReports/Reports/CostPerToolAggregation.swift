/// `cost_per_tool`: PostgreSQL counts and sums per tool (a parallel hash
/// aggregate, what it is good at) and streams every execution's (tool, time,
/// session, user); Swift counts the distinct sessions and users and the
/// execution-time distribution per tool, and computes the rates, averages
/// and exact percentiles. SQL would sort every row once per DISTINCT and per
/// `percentile_cont`, and answer the percentiles in binary floating point.
///
/// Memory stays flat: the distinct sessions are counted through hash
/// partitions on temporary files, a bounded number of entries each
/// (`PartitionedIDToolCounter`); users, a few thousand, in memory; execution
/// times as counts per value. More than 64 distinct tool names in one window
/// is an error, not a slow path.
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
    }

    static func run(_ context: ReportContext, outputs: ReportOutputs) throws {
        var totals: [Totals] = []
        try context.stream("cost_per_tool_totals") { row in
            totals.append(Totals(tool: row.text(0) ?? "", executions: try row.integer(1) ?? 0, successes: try row.integer(2) ?? 0,
                                 failures: try row.integer(3) ?? 0, totalCost: try row.decimal(4) ?? .zero,
                                 totalTokens: try row.integer(5) ?? 0, totalExecutionMs: try row.integer(6) ?? 0,
                                 maxExecutionMs: try row.integer(7)))
        }
        // Tools are few: find a row's tool by comparing its name's bytes
        // with the names seen so far, starting with the last one matched.
        var names: [[UInt8]] = []
        var durations: [ValueCounts] = []
        let sessions = try PartitionedIDToolCounter(expected: totals.reduce(0) { $0 + $1.executions }, perPartition: context.idsPerPartition,
                                                    purpose: "cost_per_tool's")
        var users = IDToolMap()
        var last = 0
        try context.stream("cost_per_tool_executions") { row in
            let name = row.raw(0)
            if last >= names.count || !names[last].elementsEqual(name) {
                if let index = names.firstIndex(where: { $0.elementsEqual(name) }) {
                    last = index
                } else {
                    guard names.count < IDToolMap.maxTools else {
                        throw EngineError.engine("more than \(IDToolMap.maxTools) distinct tool names in the window")
                    }
                    names.append(Array(name))
                    durations.append(ValueCounts())
                    last = names.count - 1
                }
            }
            durations[last].add(try row.integer(1) ?? 0)
            try sessions.add(try row.uuidBits(2), tool: last)
            users.add(try row.uuidBits(3), tool: last)
        }
        let sessionCounts = try sessions.countsPerTool()
        let userCounts = users.countsPerTool()
        var byTool: [String: (durations: ValueCounts, sessions: Int64, users: Int64)] = [:]
        for (index, name) in names.enumerated() {
            byTool[String(decoding: name, as: UTF8.self)] = (durations[index], sessionCounts[index], userCounts[index])
        }

        totals.sort { lhs, rhs in
            lhs.totalCost != rhs.totalCost ? lhs.totalCost > rhs.totalCost : lhs.tool.utf8.lexicographicallyPrecedes(rhs.tool.utf8)
        }
        let output = outputs["cost_per_tool"]
        for tool in totals {
            let values = byTool[tool.tool] ?? (ValueCounts(), 0, 0)
            let distribution = values.durations.sorted()
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
                .integer(values.sessions),
                .integer(values.users),
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

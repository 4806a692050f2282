/// `cost_per_tool`: PostgreSQL streams every execution's (tool, time,
/// success, tokens, cost, session, user) in one scan; Swift counts and sums
/// per tool, counts the distinct sessions and users and the execution-time
/// distribution (whose sum, maximum and exact percentiles the report
/// writes), and computes the rates and averages (`CostPerToolTally`). SQL
/// would sort every row once per DISTINCT and per `percentile_cont`, and
/// answer the percentiles in binary floating point.
///
/// A large window's sequential scan is read in two halves of the table's
/// blocks at once (`blockCut`), both by this thread into one tally: the
/// server's work of the one scan is shared by two of its processes, which
/// the stream alone keeps busy.
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

    static func run(_ context: ReportContext, outputs: ReportOutputs) throws {
        let query = "cost_per_tool_executions"
        let plan = try context.plan(query)
        // The partitions are sized by the planner's estimate (any size is exact).
        let tally = try CostPerToolTally(expected: plan.estimatedRows, idsPerPartition: context.idsPerPartition)
        if let cut = try context.blockCut(plan, middle: "cost_per_tool_halfway_block") {
            try context.streamInHalves(query, cut: cut, as: ToolExecution.self) { try tally.add($0) }
        } else {
            try context.stream(query, as: ToolExecution.self) { try tally.add($0) }
        }
        try write(tally, to: outputs["cost_per_tool"])
    }

    /// One row per tool, by total cost descending, then name (bytes).
    private static func write(_ tally: CostPerToolTally, to output: ReportOutput) throws {
        let (sessions, users) = try tally.distinctCounts()
        let names = tally.names.names
        let order = tally.tools.indices.sorted { lhs, rhs in
            let (left, right) = (tally.tools[lhs].cost, tally.tools[rhs].cost)
            return left != right ? left > right : names[lhs].lexicographicallyPrecedes(names[rhs])
        }
        for index in order {
            let tool = tally.tools[index]
            let name = String(decoding: names[index], as: UTF8.self)
            let distribution = tool.durations.sorted()
            let executions = tool.durations.total
            guard let totalExecutionMs = distribution.sum else {
                throw EngineError.engine("\(name)'s execution times sum past a 64-bit integer")
            }
            try output.write([
                "tool_name": .text(name),
                "executions": .integer(executions),
                "successes": .integer(tool.successes),
                "failures": .integer(executions - tool.successes),
                "success_rate": .decimal(ExactDecimal(tool.successes).divided(by: executions, scale: 4)),
                "total_cost": .decimal(tool.cost.rounded(toScale: 6)),
                "avg_cost": .decimal(tool.cost.divided(by: executions, scale: 6)),
                "total_tokens": .integer(tool.tokens),
                "avg_execution_ms": .decimal(ExactDecimal(totalExecutionMs).divided(by: executions, scale: 3)),
                "p50_execution_ms": .decimal(distribution.percentile(Fractions.p50)),
                "p95_execution_ms": .decimal(distribution.percentile(Fractions.p95)),
                "p99_execution_ms": .decimal(distribution.percentile(Fractions.p99)),
                "max_execution_ms": .integer(distribution.largest),
                "sessions": .integer(sessions[index]),
                "users": .integer(users[index]),
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

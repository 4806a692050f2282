/// `cost_per_tool`: PostgreSQL counts and sums per tool (a hash aggregate,
/// what it is good at, on a second connection while the stream runs) and
/// streams every execution's (tool, time, session, user); Swift counts the
/// distinct sessions and users and the execution-time distribution per tool
/// (whose sum, maximum and exact percentiles the report writes), and
/// computes the rates and averages. SQL would sort every row once per
/// DISTINCT and per `percentile_cont`, and answer the percentiles in binary
/// floating point.
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

    /// One row of `cost_per_tool_totals`: one tool's executions, counted by the server.
    fileprivate struct Totals: QueryRow {
        let tool: String
        let executions: Int64
        let successes: Int64
        let totalCost: ExactDecimal
        let totalTokens: Int64

        struct Columns {
            let tool, executions, successes, totalCost, totalTokens: Int
        }

        static func columns(in result: ResultColumns) throws(EngineError) -> Columns {
            Columns(tool: try result.position(of: "tool_name"), executions: try result.position(of: "executions"),
                    successes: try result.position(of: "successes"), totalCost: try result.position(of: "total_cost"),
                    totalTokens: try result.position(of: "total_tokens"))
        }

        init(_ row: CopyRow, _ columns: Columns) throws(EngineError) {
            tool = row.text(columns.tool) ?? ""
            executions = try row.integer(columns.executions) ?? 0
            successes = try row.integer(columns.successes) ?? 0
            totalCost = try row.decimal(columns.totalCost) ?? .zero
            totalTokens = try row.integer(columns.totalTokens) ?? 0
        }
    }

    /// One row of `cost_per_tool_executions`: one execution, its tool's name
    /// as the bytes of the COPY buffer (valid only during the callback).
    private struct Execution: QueryRow {
        let toolName: UnsafeRawBufferPointer
        let executionMs: Int64
        let session: UInt128
        let user: UInt128

        struct Columns {
            let toolName, executionMs, session, user: Int
        }

        static func columns(in result: ResultColumns) throws(EngineError) -> Columns {
            Columns(toolName: try result.position(of: "tool_name"), executionMs: try result.position(of: "execution_ms"),
                    session: try result.position(of: "session_id"), user: try result.position(of: "user_id"))
        }

        init(_ row: CopyRow, _ columns: Columns) throws(EngineError) {
            toolName = row.raw(columns.toolName)
            executionMs = try row.integer(columns.executionMs) ?? 0
            session = try row.uuidBits(columns.session)
            user = try row.uuidBits(columns.user)
        }
    }

    static func run(_ context: ReportContext, outputs: ReportOutputs) throws {
        var tools = NameIndex(of: "tool names")
        var durations: [ValueCounts] = []
        // The partitions are sized before the totals are in: by the planner's estimate (any size is exact).
        let sessions = try PartitionedIDToolCounter(expected: try context.estimatedRows("cost_per_tool_executions"),
                                                    perPartition: context.idsPerPartition, purpose: "cost_per_tool's")
        var users = IDToolMap()
        // The server counts and sums on a second connection while this one streams the executions.
        let collected = CollectedTotals()
        try context.alongside("cost_per_tool_totals", as: Totals.self, { collected.append($0) }, meanwhile: {
            try context.stream("cost_per_tool_executions", as: Execution.self) { execution in
                let tool = try tools.index(of: execution.toolName)
                if tool == durations.count { durations.append(ValueCounts()) }
                durations[tool].add(execution.executionMs)
                try sessions.add(execution.session, tool: tool)
                users.add(execution.user, tool: tool)
            }
        })
        var totals = collected.rows
        let sessionCounts = try sessions.countsPerTool()
        let userCounts = users.countsPerTool()
        var byTool: [String: (durations: ValueCounts, sessions: Int64, users: Int64)] = [:]
        for (index, name) in tools.names.enumerated() {
            byTool[String(decoding: name, as: UTF8.self)] = (durations[index], sessionCounts[index], userCounts[index])
        }

        totals.sort { lhs, rhs in
            lhs.totalCost != rhs.totalCost ? lhs.totalCost > rhs.totalCost : lhs.tool.utf8.lexicographicallyPrecedes(rhs.tool.utf8)
        }
        let output = outputs["cost_per_tool"]
        for tool in totals {
            let values = byTool[tool.tool] ?? (ValueCounts(), 0, 0)
            let distribution = values.durations.sorted()
            guard let totalExecutionMs = distribution.sum else {
                throw EngineError.engine("\(tool.tool)'s execution times sum past a 64-bit integer")
            }
            try output.write([
                "tool_name": .text(tool.tool),
                "executions": .integer(tool.executions),
                "successes": .integer(tool.successes),
                "failures": .integer(tool.executions - tool.successes),
                "success_rate": .decimal(ExactDecimal(tool.successes).divided(by: tool.executions, scale: 4)),
                "total_cost": .decimal(tool.totalCost),
                "avg_cost": .decimal(tool.totalCost.divided(by: tool.executions, scale: 6)),
                "total_tokens": .integer(tool.totalTokens),
                "avg_execution_ms": .decimal(ExactDecimal(totalExecutionMs).divided(by: tool.executions, scale: 3)),
                "p50_execution_ms": .decimal(distribution.percentile(Fractions.p50)),
                "p95_execution_ms": .decimal(distribution.percentile(Fractions.p95)),
                "p99_execution_ms": .decimal(distribution.percentile(Fractions.p99)),
                "max_execution_ms": .integer(distribution.largest),
                "sessions": .integer(values.sessions),
                "users": .integer(values.users),
            ])
        }
    }
}

/// cost_per_tool's totals as the second connection reads them. Unchecked:
/// only that connection's thread appends, and only after it has been joined
/// are the rows read.
private final class CollectedTotals: @unchecked Sendable {
    private(set) var rows: [CostPerToolAggregation.Totals] = []
    func append(_ row: CostPerToolAggregation.Totals) { rows.append(row) }
}

/// The percentile fractions reports use.
enum Fractions {
    static let p50 = ExactDecimal(units: 50, scale: 2)
    static let p95 = ExactDecimal(units: 95, scale: 2)
    static let p99 = ExactDecimal(units: 99, scale: 2)
}

/// What cost_per_tool keeps of the executions it reads: per tool, the
/// successes, tokens, cost and execution-time distribution (whose total is
/// the executions), and the distinct sessions and users.
final class CostPerToolTally {
    struct Tool {
        var durations = ValueCounts()
        var successes: Int64 = 0
        var tokens: Int64 = 0
        /// The cost in millionths (the column's scale), and any value with
        /// more decimals or too large for 64 bits, exactly, beside it.
        var micros: Int128 = 0
        var otherCost = ExactDecimal.zero

        var cost: ExactDecimal { ExactDecimal(units: micros, scale: ToolExecution.costScale) + otherCost }

        /// One execution's counts and sums (its ids go to the tally's maps).
        @inline(__always)
        mutating func add(_ execution: ToolExecution) {
            durations.add(execution.executionMs)
            if execution.success { successes += 1 }
            tokens += execution.tokens
            if let costMicros = execution.costMicros {
                micros += Int128(costMicros)
            } else {
                otherCost += execution.cost
            }
        }
    }

    private(set) var names = NameIndex(of: "tool names")
    private(set) var tools: [Tool] = []
    private let sessions: PartitionedIDToolCounter
    private var users = IDToolMap()

    /// Sized for `expected` executions (the planner's estimate; any is exact).
    init(expected: Int64, idsPerPartition: Int) throws(EngineError) {
        sessions = try PartitionedIDToolCounter(expected: expected, perPartition: idsPerPartition, purpose: "cost_per_tool's")
    }

    @inline(__always)
    func add(_ execution: ToolExecution) throws(EngineError) {
        let tool = try names.index(of: execution.toolName)
        if tool == tools.count { tools.append(Tool()) }
        tools[tool].add(execution)
        try sessions.add(execution.session, tool: tool)
        users.add(execution.user, tool: tool)
    }

    /// Distinct sessions and users per tool, indexed like `tools`. Called
    /// once, after the last `add`.
    func distinctCounts() throws(EngineError) -> (sessions: [Int64], users: [Int64]) {
        (try sessions.countsPerTool(), users.countsPerTool())
    }
}

/// One row of `cost_per_tool_executions`: one execution, its tool's name as
/// the bytes of the COPY buffer (valid only during the callback). NULL
/// tokens and cost count 0.
struct ToolExecution: QueryRow {
    let toolName: UnsafeRawBufferPointer
    let executionMs: Int64
    let success: Bool
    let tokens: Int64
    /// The cost in millionths; nil when it does not fit them, and then `cost` holds it.
    let costMicros: Int64?
    let cost: ExactDecimal
    let session: UInt128
    let user: UInt128

    /// tool_executions.cost is numeric(10,6).
    static let costScale = 6

    struct Columns {
        let toolName, executionMs, success, tokens, cost, session, user: Int
    }

    static func columns(in result: ResultColumns) throws(EngineError) -> Columns {
        Columns(toolName: try result.position(of: "tool_name"), executionMs: try result.position(of: "execution_ms"),
                success: try result.position(of: "success"), tokens: try result.position(of: "tokens"),
                cost: try result.position(of: "cost"), session: try result.position(of: "session_id"),
                user: try result.position(of: "user_id"))
    }

    init(_ row: CopyRow, _ columns: Columns) throws(EngineError) {
        toolName = row.raw(columns.toolName)
        executionMs = try row.integer(columns.executionMs) ?? 0
        success = try row.boolean(columns.success) ?? false
        tokens = try row.integer(columns.tokens) ?? 0
        costMicros = row.units(columns.cost, scale: Self.costScale)
        cost = costMicros == nil ? try row.decimal(columns.cost) ?? .zero : .zero
        session = try row.uuidBits(columns.session)
        user = try row.uuidBits(columns.user)
    }
}

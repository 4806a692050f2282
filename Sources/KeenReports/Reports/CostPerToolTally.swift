/// What cost_per_tool keeps of the executions one connection reads: per
/// tool, the successes, tokens, cost and execution-time distribution (whose
/// total is the executions), and the distinct sessions and users. When the
/// scan is read in two halves at once, each half has its own tally and the
/// second is absorbed into the first: counts and sums add, distinct ids
/// merge, and the second's tools are renumbered by name, since each tally
/// numbers its tools in the order it met them.
///
/// Unchecked Sendable: one thread uses a tally at a time, the second
/// half's by its connection's thread until `Parallel.run` has joined it.
final class CostPerToolTally: @unchecked Sendable {
    struct Tool {
        var durations = ValueCounts()
        var successes: Int64 = 0
        var tokens: Int64 = 0
        var cost = ExactDecimal.zero
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
        tools[tool].durations.add(execution.executionMs)
        if execution.success { tools[tool].successes += 1 }
        tools[tool].tokens += execution.tokens
        tools[tool].cost += execution.cost
        try sessions.add(execution.session, tool: tool)
        users.add(execution.user, tool: tool)
    }

    /// Adds everything `other` counted. Called once, after both tallies'
    /// last `add`; `other` is spent.
    func absorb(_ other: CostPerToolTally) throws(EngineError) {
        var numbers: [Int] = []
        for (index, name) in other.names.names.enumerated() {
            let tool = try name.withUnsafeBytes { bytes in Result { () throws(EngineError) in try names.index(of: bytes) } }.get()
            if tool == tools.count { tools.append(Tool()) }
            tools[tool].durations.add(other.tools[index].durations)
            tools[tool].successes += other.tools[index].successes
            tools[tool].tokens += other.tools[index].tokens
            tools[tool].cost += other.tools[index].cost
            numbers.append(tool)
        }
        func renumber(_ mask: UInt64) -> UInt64 {
            var bits = mask
            var renumbered: UInt64 = 0
            while bits != 0 {
                renumbered |= 1 << UInt64(numbers[bits.trailingZeroBitCount])
                bits &= bits - 1
            }
            return renumbered
        }
        try sessions.absorb(other.sessions, renumber: renumber)
        other.users.forEach { id, tools in users.add(id, tools: renumber(tools)) }
    }

    /// Distinct sessions and users per tool, indexed like `tools`. Called
    /// once, after the last `add` or `absorb`.
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
    let cost: ExactDecimal
    let session: UInt128
    let user: UInt128

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
        cost = try row.decimal(columns.cost) ?? .zero
        session = try row.uuidBits(columns.session)
        user = try row.uuidBits(columns.user)
    }
}

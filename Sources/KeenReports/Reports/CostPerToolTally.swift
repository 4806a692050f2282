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

        mutating func add(_ other: Tool) {
            durations.add(other.durations)
            successes += other.successes
            tokens += other.tokens
            micros += other.micros
            otherCost += other.otherCost
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

    /// Adds everything `other` counted. Called once, after both tallies'
    /// last `add`; `other` is spent.
    func absorb(_ other: CostPerToolTally) throws(EngineError) {
        var numbers: [Int] = []
        for (index, name) in other.names.names.enumerated() {
            let tool = try name.withUnsafeBytes { bytes in Result { () throws(EngineError) in try names.index(of: bytes) } }.get()
            if tool == tools.count { tools.append(Tool()) }
            tools[tool].add(other.tools[index])
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

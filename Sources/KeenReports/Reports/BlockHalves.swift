/// Reading one large sequential scan as two halves of its table's blocks,
/// one per connection on the run's snapshot, so that two server processes
/// share it (one client thread reads both): the query has `blocks_to` and
/// `blocks_from` parameters (tid), and the halves are complementary, so any
/// block is exact; the block a sample of the window's rows puts in the
/// middle balances them.
extension ReportContext {
    /// Rows of the window a sample should hold to place the middle block.
    private static let rowsToSample: Int64 = 20_000

    /// The block where the scan of `plan` is cut in two, as a tid literal;
    /// nil when it is better read whole: without a session (a night's jobs
    /// already share the cores), or when the plan reads the table through an
    /// index (a short window: the halves would each scan what the index
    /// skips), or when the sample puts every row in one half.
    /// `middleName` is the query of the middle block (`block`), over a
    /// sample of `sample_percent` of the table's blocks.
    func blockCut(_ plan: QueryPlan, middle middleName: String) throws -> String? {
        guard session != nil, plan.scansWholeTables else { return nil }
        let rows = max(1, plan.estimatedRows)
        let percent = ExactDecimal(min(100 * Self.rowsToSample, 100 * rows)).divided(by: rows, scale: 4)
        var middle: Int64?
        try transaction.stream(query(middleName), more: ["sample_percent": percent.formatted(places: 4)]) { columns in
            let block = try columns.position(of: "block")
            return { row in middle = try row.integer(block) }
        }
        guard let middle, middle > 0 else { return nil }
        return "(\(middle),0)"
    }

    /// Streams `queryName` in two halves of its table's blocks at once: the
    /// blocks before `cut` on this connection, the rest on a second joined to
    /// the run's snapshot, both read by this thread (without a session, the
    /// whole scan on this connection). The second read runs without
    /// parallel workers: beside a stream that keeps a core busy, they only
    /// contend for the same cores.
    func streamInHalves<Row: QueryRow>(_ queryName: String, cut: String, as _: Row.Type,
                                       _ onRow: (Row) throws -> Void) throws {
        guard let session else {
            try stream(queryName, as: Row.self, onRow)
            return
        }
        let side = try session.joining(try transaction.exportSnapshot(), parameters: parameters)
        try side.connection.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        try transaction.stream(query(queryName), as: Row.self, more: ["blocks_to": cut], alongside: side,
                               otherMore: ["blocks_from": cut], onRow)
        try side.commit()
    }
}

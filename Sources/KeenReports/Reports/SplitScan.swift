import Foundation

/// `run --jobs N` for a report whose definition allows it (`split`): the
/// window is cut into N consecutive ranges of the sort key's first column
/// (`split.column`, the column the window filters), and each range is read
/// by its own connection on the run's exported snapshot. The query sorts on
/// that column first, so the ranges in order are the whole sorted output:
/// the first is written as it arrives, the others are spooled meanwhile as
/// binary COPY to unlinked temporary files and appended after it, in order.
/// No merge, memory flat, the files byte-identical to one connection's; on a
/// table stored in that column's order each connection reads its own part in
/// index order, so the second core does real work.
///
/// Where to cut only balances the parts (any cut is correct): at the
/// column's histogram bounds in `pg_stats` inside the window, else at equal
/// spans of time.
struct SplitScan {
    let query: QueryFile
    let parameters: ReportParameters
    let split: ReportDefinition.Split
    let settings: ConnectionSettings
    let snapshot: String
    let statementTimeout: String

    func run(jobs: Int, transaction: ReportTransaction, into output: ReportOutput) throws {
        let bounds = try cuts(jobs, on: transaction.connection)
        let ranges = zip([parameters.window.from] + bounds, bounds + [parameters.window.to]).map { (from: $0, to: $1) }
        let spools = ranges.dropFirst().map { _ in Spool() }
        let group = DispatchGroup()
        for (range, spool) in zip(ranges.dropFirst(), spools) {
            group.enter()
            let job = SpoolJob(query: query, parameters: parameters, settings: settings, snapshot: snapshot,
                               statementTimeout: statementTimeout, from: range.from, to: range.to, spool: spool)
            Thread.detachNewThread {
                defer { group.leave() }
                job.run()
            }
        }
        defer { group.wait() }
        try transaction.stream(query, more: Self.window(ranges[0])) { try output.write(record: $0) }
        group.wait()
        for spool in spools {
            if let error = spool.error { throw error }
            try spool.replay { try output.write(record: $0) }
        }
    }

    static func window(_ range: (from: Timestamp, to: Timestamp)) -> [String: String?] {
        ["from": range.from.utcText, "to": range.to.utcText]
    }

    /// `jobs - 1` increasing instants strictly inside the window.
    private func cuts(_ jobs: Int, on connection: PostgresConnection) throws(EngineError) -> [Timestamp] {
        let window = parameters.window
        // The histogram's bounds (its table and column are the definition's, checked when the catalogue loaded).
        let rows = try connection.execute("""
            SELECT extract(epoch FROM b)::numeric(20, 6)::text
            FROM pg_stats, unnest(histogram_bounds::text::timestamptz[]) AS b
            WHERE schemaname = current_schema() AND tablename = $1 AND attname = $2 AND b > $3::timestamptz AND b < $4::timestamptz
            ORDER BY b
            """, [split.table, split.column, window.from.utcText, window.to.utcText]).rows
        let inside = rows.compactMap { $0[0].flatMap { ExactDecimal($0) } }
            .map { Timestamp(unixMicroseconds: Int64(truncatingIfNeeded: $0.rounded(toScale: 6).units)) }
        if inside.count >= jobs - 1 {
            return (1..<jobs).map { inside[$0 * inside.count / jobs] }.reduce(into: []) { cuts, cut in
                if cut > (cuts.last ?? window.from) { cuts.append(cut) }
            }
        }
        let span = window.to.unixMicroseconds - window.from.unixMicroseconds
        return (1..<jobs).map { Timestamp(unixMicroseconds: window.from.unixMicroseconds + span * Int64($0) / Int64(jobs)) }
    }
}

/// A range's rows as binary COPY, in an unlinked temporary file: written by
/// its connection's thread, read back by the thread writing the files.
private final class Spool: @unchecked Sendable {
    let descriptor: Int32
    var error: Error?

    init() {
        var template = Array((FileManager.default.temporaryDirectory.path + "/keen-reports-split.XXXXXX").utf8CString)
        descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        if descriptor >= 0 { template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) } }
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    func append(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { throw EngineError.output("cannot spool a split scan: \(String(cString: strerror(errno)))") }
            offset += written
        }
    }

    func replay(_ onRow: (CopyRow) throws -> Void) throws {
        guard lseek(descriptor, 0, SEEK_SET) == 0 else { throw EngineError.output("cannot read a split scan's spool") }
        var decoder = BinaryCopyDecoder()
        var chunk = [UInt8](repeating: 0, count: 1 << 18)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count >= 0 else { throw EngineError.output("cannot read a split scan's spool: \(String(cString: strerror(errno)))") }
            if count == 0 { break }
            try chunk.withUnsafeBytes { try decoder.decode(UnsafeRawBufferPointer(rebasing: $0[0..<count]), onRow) }
        }
        try decoder.finish()
    }
}

/// One range's connection, run on its own thread: its rows into its spool.
private struct SpoolJob: @unchecked Sendable {
    let query: QueryFile
    let parameters: ReportParameters
    let settings: ConnectionSettings
    let snapshot: String
    let statementTimeout: String
    let from: Timestamp
    let to: Timestamp
    let spool: Spool

    func run() {
        do {
            guard spool.descriptor >= 0 else { throw EngineError.output("cannot make a temporary file for a split scan") }
            let connection = try PostgresConnection(settings)
            let transaction = try ReportTransaction(connection: connection, parameters: parameters, statementTimeout: statementTimeout,
                                                    snapshot: snapshot)
            try transaction.copy(query, more: SplitScan.window((from, to))) { try spool.append($0) }
            try transaction.commit()
        } catch {
            spool.error = error
        }
    }
}

import Foundation

/// `run --jobs N` for a report whose definition allows it (`split`): the
/// window is cut into N consecutive ranges of the sort key's first column
/// (`split.column`, the column the window filters), and each range is read
/// by its own connection on the run's exported snapshot. The query sorts on
/// that column first, so the ranges in order are the whole sorted output:
/// the first is written as it arrives; each other range is formatted by its
/// own thread into a fragment (`OutputFragment`, temporary files) and
/// appended after it, in order. No merge, memory flat, the files
/// byte-identical to one connection's, and both the reading and the
/// formatting use every core. (A workbook cannot be appended to: a run that
/// writes one reads on one connection.)
///
/// Where to cut only balances the parts (any cut is correct): at the
/// column's histogram bounds in `pg_stats` inside the window, else at equal
/// spans of time.
struct SplitScan {
    let query: QueryFile
    let parameters: ReportParameters
    let split: ReportDefinition.Split
    let session: ReadSession
    let snapshot: String

    func run(jobs: Int, transaction: ReportTransaction, into output: ReportOutput) throws {
        let bounds = try cuts(jobs, on: transaction.connection)
        let ranges = zip([parameters.window.from] + bounds, bounds + [parameters.window.to]).map { (from: $0, to: $1) }
        let parts = try ranges.indices.dropFirst().map { index in
            RangePart(fragment: try output.fragment(index), from: ranges[index].from, to: ranges[index].to)
        }
        defer { parts.forEach { $0.fragment.discard() } }
        let jobs = parts.map { RangeJob(query: query, parameters: parameters, session: session, snapshot: snapshot, part: $0) }
        try Parallel.run(jobs.count, { jobs[$0].run() }) {
            _ = try transaction.stream(query, more: Self.window(ranges[0]), output.recordWriter)
        }
        for part in parts {
            if let error = part.error { throw error }
            try output.append(part.fragment)
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
            SELECT extract(epoch FROM b)::numeric(20, 6)::text AS bound
            FROM pg_stats, unnest(histogram_bounds::text::timestamptz[]) AS b
            WHERE schemaname = current_schema() AND tablename = $1 AND attname = $2 AND b > $3::timestamptz AND b < $4::timestamptz
            ORDER BY b
            """, [split.table, split.column, window.from.utcText, window.to.utcText]).rowsByName
        let inside = rows.compactMap { $0["bound"].flatMap { ExactDecimal($0) } }
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

/// One range after the first: its window and the fragment its thread formats.
/// Unchecked: only the range's own thread touches `fragment` and `error`
/// until `Parallel.run` has joined it; then only the caller does.
private final class RangePart: @unchecked Sendable {
    let fragment: OutputFragment
    let from: Timestamp
    let to: Timestamp
    var error: Error?

    init(fragment: OutputFragment, from: Timestamp, to: Timestamp) {
        self.fragment = fragment
        self.from = from
        self.to = to
    }
}

/// One range's connection, run on its own thread: its rows into its fragment.
private struct RangeJob: Sendable {
    let query: QueryFile
    let parameters: ReportParameters
    let session: ReadSession
    let snapshot: String
    let part: RangePart

    func run() {
        do {
            let transaction = try session.joining(snapshot, parameters: parameters)
            try transaction.stream(query, more: SplitScan.window((part.from, part.to)), part.fragment.recordWriter)
            try transaction.commit()
        } catch {
            part.error = error
        }
    }
}

/// One read-only, repeatable-read transaction: every query of a run sees the
/// same snapshot and can change nothing.
///
/// Its queries get the run's parameters as typed literals in their text:
/// `COPY (query) TO STDOUT` takes no bind parameters, and a literal is what
/// lets the planner fit the plan to the window, on a primary or a hot standby
/// alike, with nothing created on the server. A literal's text is never what
/// a user typed: the engine renders it from its own typed value (a
/// `Timestamp` as UTC, a canonical lowercase UUID, a zone name the server has
/// just accepted as `TimeZone`, a block number) and libpq quotes it
/// (`PQescapeLiteral`). Settings (the time zone, the tenant) travel as bound
/// parameters of `set_config`.
public final class ReportTransaction {
    public let connection: PostgresConnection
    /// Parameter name → rendered text (nil: NULL).
    private let values: [String: String?]

    /// Begins the transaction with the run's parameters and statement
    /// timeout. With `snapshot`, it sees the snapshot another transaction
    /// exported (`exportSnapshot`) instead of taking its own.
    public convenience init(connection: PostgresConnection, parameters: ReportParameters, statementTimeout: StatementTimeout,
                            snapshot: String? = nil, readOnly: Bool = true) throws(EngineError) {
        try self.init(connection: connection,
                      settings: parameters.transactionSettings + [("statement_timeout", statementTimeout.text)] + Self.plannerSettings,
                      values: parameters.values, snapshot: snapshot, readOnly: readOnly)
    }

    /// JIT compilation off: once the planner sees the window's values its
    /// cost estimates pass jit_above_cost, and compiling (with inlining and
    /// optimization) took 0.7 s of a 1.4 s daily_usage for one day (EXPLAIN
    /// ANALYZE), more than it saved on any report measured.
    static let plannerSettings = [("jit", "off")]

    /// Begins the transaction and sets each (name, value) for its duration.
    /// Only `rollup` asks for `readOnly: false`, to write the day it read.
    public init(connection: PostgresConnection, settings: [(String, String)], values: [String: String?] = [:],
                snapshot: String? = nil, readOnly: Bool = true) throws(EngineError) {
        self.connection = connection
        self.values = values
        try connection.execute(readOnly ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN ISOLATION LEVEL REPEATABLE READ")
        if let snapshot {
            // SET TRANSACTION takes no bind parameters; a snapshot id is hex
            // digits and dashes, made by the server, and is checked as such.
            guard !snapshot.isEmpty, snapshot.utf8.allSatisfy({ $0 == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains($0) }) else {
                throw .engine("'\(snapshot.prefix(40))' is not a snapshot id")
            }
            try connection.execute("SET TRANSACTION SNAPSHOT '\(snapshot)'")
        }
        let calls = settings.indices.map { "set_config($\(2 * $0 + 1), $\(2 * $0 + 2), true)" }.joined(separator: ", ")
        do {
            try connection.execute("SELECT " + calls, settings.flatMap { [$0.0, $0.1] })
        } catch where error.sqlState == "22023" {
            // invalid_parameter_value: of the settings, only the zone comes
            // from the user (the rest the engine renders), so this is a name
            // this machine's time zone database knows but the server's does not.
            let zone = settings.first { $0.0 == "TimeZone" }?.1 ?? ""
            throw .invalid(.timeZone, "'\(zone.prefix(64))' is not a time zone the PostgreSQL server knows")
        }
    }

    /// Streams the query's rows, decoded from binary COPY; returns the count.
    /// `reader` is given the query's columns, as the server describes them,
    /// before the first row, and returns what reads each row: it finds its
    /// columns by name there, once. `more` adds or replaces parameters of
    /// this query alone (the reconciliation's `since`, a split scan's part
    /// of the window).
    @discardableResult
    public func stream(_ query: QueryFile, more: [String: String?] = [:],
                       _ reader: (ResultColumns) throws -> (CopyRow) throws -> Void) throws -> Int {
        let sql = try render(query, more: more)
        let decoder = BinaryCopyDecoder()
        do {
            let onRow = try reader(ResultColumns(names: try connection.columnNames(of: sql)))
            try connection.copyOut(Self.binaryCopy(sql)) { chunk in try decoder.decode(chunk, onRow) }
            try decoder.finish()
        } catch let error as EngineError {
            throw error.prefixed("query \(query.name)")
        }
        return decoder.rowsDecoded
    }

    /// Streams the query's rows, each decoded as a `Row`.
    @discardableResult
    func stream<Row: QueryRow>(_ query: QueryFile, as _: Row.Type = Row.self, more: [String: String?] = [:],
                               _ onRow: (Row) throws -> Void) throws -> Int {
        // The row reader lives only as long as this stream.
        try withoutActuallyEscaping(onRow) { onRow in
            try stream(query, more: more) { result in
                let columns = try Row.columns(in: result)
                return { row in try onRow(try Row(row, columns)) }
            }
        }
    }

    /// Streams the query's rows with `more` on this transaction's connection
    /// and with `otherMore` on `other`'s (a transaction joined to this
    /// one's snapshot) at once, read by this thread: the rows of the two
    /// arrive interleaved, each decoded as a `Row`. Returns the count of both.
    @discardableResult
    func stream<Row: QueryRow>(_ query: QueryFile, as _: Row.Type, more: [String: String?], alongside other: ReportTransaction,
                               otherMore: [String: String?], _ onRow: (Row) throws -> Void) throws -> Int {
        let sql = try render(query, more: more)
        let otherSQL = try other.render(query, more: otherMore)
        // Two constants, not an array: taking a decoder out of an array per
        // row (a chunk) cost a retain and a release each (an eighth of the
        // client's time, perf).
        let (decoder, otherDecoder) = (BinaryCopyDecoder(), BinaryCopyDecoder())
        do {
            let columns = try Row.columns(in: ResultColumns(names: try connection.columnNames(of: sql)))
            try connection.copyOut(Self.binaryCopy(sql), alongside: other.connection, Self.binaryCopy(otherSQL)) { index, chunk in
                try (index == 0 ? decoder : otherDecoder).decode(chunk) { row in try onRow(try Row(row, columns)) }
            }
            try decoder.finish()
            try otherDecoder.finish()
        } catch let error as EngineError {
            throw error.prefixed("query \(query.name)")
        }
        return decoder.rowsDecoded + otherDecoder.rowsDecoded
    }

    /// The planner's plan of `query` with this run's values.
    func plan(_ query: QueryFile) throws(EngineError) -> QueryPlan {
        QueryPlan(json: try connection.execute("EXPLAIN (FORMAT JSON) " + render(query, more: [:])).value(0, 0) ?? "")
    }

    /// `sql` as the binary COPY the streams read.
    private static func binaryCopy(_ sql: String) -> String {
        "COPY (\n\(sql)\n) TO STDOUT (FORMAT binary)"
    }

    /// The query's text with this run's values in place of its parameters.
    private func render(_ query: QueryFile, more: [String: String?]) throws(EngineError) -> String {
        var quoted: [String: String] = [:]
        let values = self.values.merging(more) { $1 }
        for parameter in query.parameters {
            guard let value = values[parameter.name] ?? nil, !value.isEmpty else { continue }
            quoted[parameter.name] = try connection.quoteLiteral(value)
        }
        var sql = query.boundSQL { parameter in
            "\(quoted[parameter.name] ?? "NULL")::\(parameter.type.rawValue)"
        }
        while sql.hasSuffix(";") || sql.hasSuffix("\n") || sql.hasSuffix(" ") { sql.removeLast() }
        return sql
    }

    /// Exports this transaction's snapshot for other connections to share;
    /// valid while this transaction is open.
    public func exportSnapshot() throws(EngineError) -> String {
        try connection.execute("SELECT pg_export_snapshot() AS snapshot")["snapshot"] ?? ""
    }

    public func commit() throws(EngineError) {
        try connection.execute("COMMIT")
    }

    public func rollback() throws(EngineError) {
        try connection.execute("ROLLBACK")
    }
}

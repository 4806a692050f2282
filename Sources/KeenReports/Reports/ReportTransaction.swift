/// One read-only, repeatable-read transaction: every query of a run sees the
/// same snapshot and can change nothing.
///
/// The run's parameters are set as transaction-local settings through bound
/// parameters (`set_config('keen.from', $1, true)`) and the queries read them
/// back with `current_setting`, so no value is ever spliced into SQL text,
/// even inside `COPY (query) TO STDOUT`, which takes no bind parameters.
public final class ReportTransaction {
    public let connection: PostgresConnection
    /// How this connection's queries read their parameters.
    let reading: ParameterReading

    /// Begins the transaction and sets the run's parameters (see
    /// `ReportParameters.transactionSettings`) and the statement timeout.
    /// With `snapshot`, it sees the snapshot another transaction exported
    /// (`exportSnapshot`) instead of taking its own.
    public convenience init(connection: PostgresConnection, parameters: ReportParameters, statementTimeout: String,
                            snapshot: String? = nil, readOnly: Bool = true) throws(EngineError) {
        try self.init(connection: connection,
                      settings: parameters.transactionSettings + [("statement_timeout", statementTimeout)] + Self.plannerSettings,
                      snapshot: snapshot, readOnly: readOnly)
    }

    /// JIT compilation off: once the planner sees the window's values its
    /// cost estimates pass jit_above_cost, and compiling (with inlining and
    /// optimization) took 0.7 s of a 1.4 s daily_usage for one day (EXPLAIN
    /// ANALYZE), more than it saved on any report measured.
    static let plannerSettings = [("jit", "off")]

    /// Begins the transaction and sets each (name, value) for its duration.
    /// Only `rollup` asks for `readOnly: false`, to write the day it read.
    public init(connection: PostgresConnection, settings: [(String, String)], snapshot: String? = nil,
                readOnly: Bool = true) throws(EngineError) {
        self.connection = connection
        reading = ParameterReading.prepare(connection)
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
        } catch where error.message.contains("\"TimeZone\"") {
            // A name this machine's time zone database knows but the server's does not.
            let zone = settings.first { $0.0 == "TimeZone" }?.1 ?? ""
            throw .usage("--tz '\(zone.prefix(64))' is not a time zone the PostgreSQL server knows")
        }
    }

    /// Streams the query's rows, decoded from binary COPY; returns the count.
    @discardableResult
    public func stream(_ query: QueryFile, _ onRow: (CopyRow) throws -> Void) throws -> Int {
        var sql = query.boundSQL(reading)
        while sql.hasSuffix(";") || sql.hasSuffix("\n") || sql.hasSuffix(" ") { sql.removeLast() }
        var decoder = BinaryCopyDecoder()
        do {
            try connection.copyOut("COPY (\n\(sql)\n) TO STDOUT (FORMAT binary)") { chunk in
                try decoder.decode(chunk, onRow)
            }
            try decoder.finish()
        } catch let error as EngineError {
            throw EngineError(error.status, "query \(query.name): \(error.message)")
        }
        return decoder.rowsDecoded
    }

    /// Exports this transaction's snapshot for other connections to share;
    /// valid while this transaction is open.
    public func exportSnapshot() throws(EngineError) -> String {
        try connection.execute("SELECT pg_export_snapshot()").value(0, 0) ?? ""
    }

    public func commit() throws(EngineError) {
        try connection.execute("COMMIT")
    }

    public func rollback() throws(EngineError) {
        try connection.execute("ROLLBACK")
    }
}

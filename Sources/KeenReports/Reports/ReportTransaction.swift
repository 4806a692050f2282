/// One read-only, repeatable-read transaction: every query of a run sees the
/// same snapshot and can change nothing.
///
/// The run's parameters are set as transaction-local settings through bound
/// parameters (`set_config('keen.from', $1, true)`) and the queries read them
/// back with `current_setting`, so no value is ever spliced into SQL text,
/// even inside `COPY (query) TO STDOUT`, which takes no bind parameters.
public final class ReportTransaction {
    public let connection: PostgresConnection

    /// Begins the transaction and sets the run's parameters (see
    /// `ReportParameters.transactionSettings`) and the statement timeout.
    public convenience init(connection: PostgresConnection, parameters: ReportParameters, statementTimeout: String) throws(EngineError) {
        try self.init(connection: connection,
                      settings: parameters.transactionSettings + [("statement_timeout", statementTimeout)])
    }

    /// Begins the transaction and sets each (name, value) for its duration.
    public init(connection: PostgresConnection, settings: [(String, String)]) throws(EngineError) {
        self.connection = connection
        try connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        let calls = settings.indices.map { "set_config($\(2 * $0 + 1), $\(2 * $0 + 2), true)" }.joined(separator: ", ")
        try connection.execute("SELECT " + calls, settings.flatMap { [$0.0, $0.1] })
    }

    /// Streams the query's rows, decoded from binary COPY; returns the count.
    @discardableResult
    public func stream(_ query: QueryFile, _ onRow: (CopyRow) throws -> Void) throws -> Int {
        var sql = query.boundSQL
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

    public func commit() throws(EngineError) {
        try connection.execute("COMMIT")
    }
}

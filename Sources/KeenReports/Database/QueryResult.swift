import CLibPQ

/// The whole result of a small statement, in PostgreSQL's text format.
public final class QueryResult {
    private let result: OpaquePointer

    init(_ result: OpaquePointer) {
        self.result = result
    }

    deinit {
        PQclear(result)
    }

    public var rowCount: Int { Int(PQntuples(result)) }
    public var columnCount: Int { Int(PQnfields(result)) }

    /// The value as text, nil for SQL NULL.
    public func value(_ row: Int, _ column: Int) -> String? {
        if PQgetisnull(result, Int32(row), Int32(column)) == 1 { return nil }
        return String(cString: PQgetvalue(result, Int32(row), Int32(column)))
    }

    /// The value of the column named `name` (as the statement's `AS` names
    /// it), nil for SQL NULL. The statements are the engine's own, so a name
    /// they do not return is a defect of the engine, not of its input.
    public func value(_ row: Int, _ name: String) -> String? {
        let column = PQfnumber(result, "\"\(name)\"")
        precondition(column >= 0, "the statement returns no column named \(name)")
        return value(row, Int(column))
    }

    /// The first row's value of the column named `name`.
    public subscript(name: String) -> String? { value(0, name) }

    /// Every row, each read by its columns' names: what the engine reads.
    public var rowsByName: [Row] { (0..<rowCount).map { Row(result: self, index: $0) } }

    /// Every row, each a list of text values (nil for NULL), for ad-hoc
    /// statements whose columns are plain to see (the tests' probes).
    public var rows: [[String?]] {
        (0..<rowCount).map { row in (0..<columnCount).map { value(row, $0) } }
    }

    /// One row of the result, read by column name.
    public struct Row {
        let result: QueryResult
        let index: Int

        public subscript(name: String) -> String? { result.value(index, name) }
    }
}

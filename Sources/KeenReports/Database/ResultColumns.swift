/// The names of the columns a query returns, in order, as the server
/// described them. A reader finds each column it needs here once per query,
/// by name, and then reads every row through those positions: a reordered
/// SELECT list changes nothing, and a renamed or missing column is an error
/// before the first row rather than a number read from the wrong column.
/// Its errors say what is missing; the stream prefixes the query's name.
public struct ResultColumns: Sendable, Equatable {
    public let names: [String]

    public init(names: [String]) {
        self.names = names
    }

    /// Where `name` is, or an error that says what the query returns instead.
    public func position(of name: String) throws(EngineError) -> Int {
        guard let position = names.firstIndex(of: name) else {
            throw .engine("no column named \(name) (it returns \(names.joined(separator: ", ")))")
        }
        return position
    }

    /// Throws unless the query returns exactly `expected`, in that order
    /// (reports whose query's columns are their output's).
    public func require(exactly expected: [String], for report: String) throws(EngineError) {
        guard names == expected else {
            throw .engine("it returns the columns \(names.joined(separator: ", ")); report \(report) writes \(expected.joined(separator: ", "))")
        }
    }
}

/// A struct that one row of a query decodes into, so that what reads the
/// rows (a check, an aggregation) takes typed values and can be tested with
/// rows built by hand. As postgres-nio's `PostgresRow` decoding, but the
/// names are looked up once per query (`Columns`), not once per row: a
/// report may read ten million rows.
protocol QueryRow {
    /// The positions of the struct's columns in one query's result.
    associatedtype Columns
    static func columns(in result: ResultColumns) throws(EngineError) -> Columns
    /// Decodes one row. A row holding `UnsafeRawBufferPointer`s is valid only
    /// inside the callback it is passed to, as the `CopyRow` it came from.
    init(_ row: CopyRow, _ columns: Columns) throws(EngineError)
}

/// A column of a report's output, as its definition in `reports/` declares
/// it: the name written in the header, the type that decides how a value is
/// read from a query and written, and for decimals the places written.
public struct ReportColumn: Sendable, Codable, Equatable {
    public enum ValueType: String, Sendable, Codable, CaseIterable {
        case text, integer, decimal, uuid, boolean, timestamp, date
        case textArray = "text_array"
    }

    public let name: String
    public let type: ValueType
    /// Places after the point; decimals only.
    public let scale: Int?
    public let meaning: String

    public init(name: String, type: ValueType, scale: Int? = nil, meaning: String = "") {
        self.name = name
        self.type = type
        self.scale = scale
        self.meaning = meaning
    }

    /// Reads this column's value from a query row, by the declared type.
    func read(_ row: CopyRow, _ index: Int) throws -> ReportValue {
        if row.isNull(index) { return .null }
        switch type {
        case .text: return .text(row.text(index))
        case .integer: return .integer(try row.integer(index))
        case .decimal: return .decimal(try row.decimal(index))
        case .uuid: return .uuid(try row.uuid(index))
        case .boolean: return (try row.boolean(index)).map { .boolean($0) } ?? .null
        case .timestamp: return .timestamp(try row.timestamp(index))
        case .date: return (try row.date(index)).map { .date($0) } ?? .null
        case .textArray: return (try row.textArray(index)).map { .textArray($0) } ?? .null
        }
    }
}

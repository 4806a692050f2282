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

    /// `decimal(6)`, `timestamp`, ...: how `describe` and the workbooks name the type.
    public var typeDescription: String {
        type == .decimal ? "decimal(\(scale ?? 0))" : type.rawValue
    }
}

extension [ReportColumn] {
    /// A row given by column name, as values in these columns' order. The
    /// names must be these columns, each once, in any order; in order,
    /// nothing is looked up.
    func values(of row: KeyValuePairs<String, ReportValue>) throws(EngineError) -> [ReportValue] {
        if row.count == count && zip(row, self).allSatisfy({ $0.key == $1.name }) { return row.map(\.value) }
        if let extra = row.first(where: { pair in !contains { $0.name == pair.key } }) {
            throw .engine("a row with column \(extra.key), which the output does not have")
        }
        return try map { column throws(EngineError) in
            guard let value = row.first(where: { $0.key == column.name })?.value else {
                throw .engine("a row without column \(column.name)")
            }
            return value
        }
    }
}

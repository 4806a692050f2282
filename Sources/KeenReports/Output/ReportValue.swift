/// One cell of a report row, before it is written.
public enum ReportValue: Sendable, Equatable {
    case null
    case integer(Int64)
    /// Written with the scale of its column, rounded half away from zero.
    case decimal(ExactDecimal)
    case text(String)
    case uuid(String)
    case boolean(Bool)
    case timestamp(Timestamp)
    case date(CivilDate)
    case textArray([String?])

    public static func integer(_ value: Int64?) -> ReportValue { value.map { .integer($0) } ?? .null }
    public static func decimal(_ value: ExactDecimal?) -> ReportValue { value.map { .decimal($0) } ?? .null }
    public static func text(_ value: String?) -> ReportValue { value.map { .text($0) } ?? .null }
    public static func uuid(_ value: String?) -> ReportValue { value.map { .uuid($0) } ?? .null }
    public static func timestamp(_ value: Timestamp?) -> ReportValue { value.map { .timestamp($0) } ?? .null }
}

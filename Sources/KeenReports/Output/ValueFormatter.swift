/// Turns report values into the text REPORTS.md prescribes: decimals at their
/// column's scale, timestamps in RFC 3339 in the report time zone, arrays
/// joined by `;`. Shared by the CSV and JSON writers so both agree.
struct ValueFormatter {
    var timestamps: TimestampFormatter

    init(zone: ReportTimeZone) {
        timestamps = TimestampFormatter(zone: zone)
    }

    /// The text of a non-NULL, non-array value.
    mutating func text(_ value: ReportValue, column: ReportColumn) -> String {
        switch value {
        case .null: return ""
        case .integer(let number): return String(number)
        case .decimal(let number): return number.formatted(places: column.scale ?? number.scale)
        case .text(let text), .uuid(let text): return text
        case .boolean(let flag): return flag ? "true" : "false"
        case .timestamp(let instant): return timestamps.format(instant)
        case .date(let date): return date.description
        case .textArray(let elements): return elements.map { $0 ?? "" }.joined(separator: ";")
        }
    }
}

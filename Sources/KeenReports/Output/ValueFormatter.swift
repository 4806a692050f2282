/// Turns values into the text REPORTS.md prescribes, as bytes: decimals at
/// their column's scale, timestamps in RFC 3339 in the report time zone,
/// arrays joined by `;`. Shared by the CSV and JSON writers so both agree.
/// Values come either as `ReportValue`s (from a Swift aggregation) or
/// straight from a binary COPY row (a report whose query rows are its output
/// rows), which skips every intermediate String.
struct ValueFormatter {
    var timestamps: TimestampFormatter

    init(zone: ReportTimeZone) {
        timestamps = TimestampFormatter(zone: zone)
    }

    /// Appends the text of a non-NULL value.
    mutating func append(_ value: ReportValue, column: ReportColumn, to output: inout [UInt8]) {
        switch value {
        case .null: break
        case .integer(let number): ByteText.appendInteger(number, to: &output)
        case .decimal(let number): ByteText.appendDecimal(number, places: column.scale ?? number.scale, to: &output)
        case .text(let text), .uuid(let text): output.append(contentsOf: text.utf8)
        case .boolean(let flag): output.append(contentsOf: flag ? Self.trueText : Self.falseText)
        case .timestamp(let instant): timestamps.append(instant, to: &output)
        case .date(let date): date.append(to: &output)
        case .textArray(let elements): Self.appendJoined(elements, to: &output)
        }
    }

    /// Appends the text of column `index` of a COPY row, read as the column
    /// declares (`type`, and `scale` for decimals); the field must not be NULL.
    mutating func append(_ row: CopyRow, _ index: Int, type: ReportColumn.ValueType, scale: Int?,
                         to output: inout [UInt8]) throws {
        switch type {
        case .text: output.append(contentsOf: row.raw(index))
        case .integer: ByteText.appendInteger(try row.integer(index)!, to: &output)
        case .decimal:
            let value = try row.decimal(index)!
            ByteText.appendDecimal(value, places: scale ?? value.scale, to: &output)
        case .uuid:
            guard row.raw(index).count == 16 else { _ = try row.uuid(index); return }
            ByteText.appendUUID(row.raw(index), to: &output)
        case .boolean: output.append(contentsOf: try row.boolean(index)! ? Self.trueText : Self.falseText)
        case .timestamp: timestamps.append(try row.timestamp(index)!, to: &output)
        case .date: try row.date(index)!.append(to: &output)
        case .textArray: Self.appendJoined(try row.textArray(index)!, to: &output)
        }
    }

    private static let trueText = Array("true".utf8)
    private static let falseText = Array("false".utf8)

    private static func appendJoined(_ elements: [String?], to output: inout [UInt8]) {
        for (index, element) in elements.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ";")) }
            if let element { output.append(contentsOf: element.utf8) }
        }
    }
}

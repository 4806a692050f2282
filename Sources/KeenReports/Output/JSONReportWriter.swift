/// Writes a report's rows as REPORTS.md's JSON object, streaming:
///
/// ```
/// {
///   "report": "cost_per_tool",
///   "parameters": {...},
///   "generated_at": "2026-11-27T03:00:00Z",
///   "row_count":                   14,
///   "columns": ["tool_name", ...],
///   "rows": [
///     {"tool_name": "read_file", ...},
///     ...
///   ]
/// }
/// ```
///
/// `row_count` comes before the rows but is only known after them, so a
/// fixed-width slot of spaces is reserved and the number written into it at
/// the end (JSON allows the whitespace). Integers are numbers, decimals
/// strings at their column's scale, arrays arrays.
final class JSONReportWriter {
    let file: AtomicFile
    private let columns: [ReportColumn]
    private let keys: [String]
    private var formatter: ValueFormatter
    private var rowCountOffset: Int64 = 0
    private static let rowCountWidth = 20
    private var rows: Int64 = 0
    private var line = ""

    init(file: AtomicFile, report: String, columns: [ReportColumn], parameters: JSONValue,
         generatedAt: String, zone: ReportTimeZone) throws(EngineError) {
        self.file = file
        self.columns = columns
        self.formatter = ValueFormatter(zone: zone)
        keys = columns.map { column in
            var key = ""
            JSONValue.appendQuoted(column.name, to: &key)
            return key
        }
        var head = "{\n  \"report\": " + JSONValue.string(report).serialized()
        head += ",\n  \"parameters\": " + parameters.serialized()
        head += ",\n  \"generated_at\": " + JSONValue.string(generatedAt).serialized()
        head += ",\n  \"row_count\": "
        try file.write(head)
        try file.flush()
        rowCountOffset = file.bytesWritten
        var rest = String(repeating: " ", count: Self.rowCountWidth)
        rest += ",\n  \"columns\": " + JSONValue.array(columns.map { .string($0.name) }).serialized()
        rest += ",\n  \"rows\": ["
        try file.write(rest)
    }

    func write(_ row: [ReportValue]) throws(EngineError) {
        line.removeAll(keepingCapacity: true)
        line += rows == 0 ? "\n    {" : ",\n    {"
        for (index, value) in row.enumerated() {
            if index > 0 { line += ", " }
            line += keys[index]
            line += ": "
            appendJSON(value, column: columns[index])
        }
        line += "}"
        rows += 1
        try file.write(line)
    }

    /// Closes the rows and the object, adding `extras` as members after the
    /// rows, and fills in `row_count`.
    func finish(extras: [(String, JSONValue)]) throws(EngineError) {
        var tail = rows == 0 ? "]" : "\n  ]"
        for (key, value) in extras {
            tail += ",\n  " + JSONValue.string(key).serialized() + ": " + value.serialized()
        }
        tail += "\n}\n"
        try file.write(tail)
        let count = String(rows)
        try file.overwrite(String(repeating: " ", count: Self.rowCountWidth - count.count) + count, at: rowCountOffset)
    }

    private func appendJSON(_ value: ReportValue, column: ReportColumn) {
        switch value {
        case .null: line += "null"
        case .integer(let number): line += String(number)
        case .boolean(let flag): line += flag ? "true" : "false"
        case .textArray(let elements):
            line += JSONValue.array(elements.map { $0.map(JSONValue.string) ?? .null }).serialized()
        default:
            JSONValue.appendQuoted(formatter.text(value, column: column), to: &line)
        }
    }
}

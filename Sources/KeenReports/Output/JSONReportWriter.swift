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
    private let types: [ReportColumn.ValueType]
    private let scales: [Int?]
    /// `"name": ` for each column, ready to copy.
    private let keys: [[UInt8]]
    private var formatter: ValueFormatter
    private var rowCountOffset: Int64 = 0
    private static let rowCountWidth = 20
    private var rows: Int64 = 0
    private var line: [UInt8] = []

    /// A fragment's writer (`fragment: true`) writes rows only, each
    /// preceded by its separator, for `append(rowsOf:count:)`.
    private let fragment: Bool

    init(file: AtomicFile, report: String, columns: [ReportColumn], parameters: JSONValue,
         generatedAt: String, zone: ReportTimeZone, fragment: Bool = false) throws(EngineError) {
        self.file = file
        self.columns = columns
        self.fragment = fragment
        types = columns.map(\.type)
        scales = columns.map(\.scale)
        self.formatter = ValueFormatter(zone: zone)
        keys = columns.map { column in
            var key = ""
            JSONValue.appendQuoted(column.name, to: &key)
            return Array((key + ": ").utf8)
        }
        guard !fragment else { return }
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
        var line = take(&self.line)
        line.append(contentsOf: rows == 0 && !fragment ? Self.firstRowStart : Self.rowStart)
        for (index, value) in row.enumerated() {
            if index > 0 { line.append(contentsOf: Self.separator) }
            line.append(contentsOf: keys[index])
            switch value {
            case .null: line.append(contentsOf: Self.null)
            case .integer, .boolean: formatter.append(value, column: columns[index], to: &line)
            case .textArray(let elements): Self.appendArray(elements, to: &line)
            case .text(let text):
                var text = text
                text.withUTF8 { JSONText.appendQuoted(UnsafeRawBufferPointer($0), to: &line) }
            default:
                // Engine-formatted text: digits, dashes, colons; no escaping needed.
                line.append(UInt8(ascii: "\""))
                formatter.append(value, column: columns[index], to: &line)
                line.append(UInt8(ascii: "\""))
            }
        }
        line.append(UInt8(ascii: "}"))
        rows += 1
        self.line = line
        try file.write(self.line)
    }

    /// Writes a COPY row whose columns are this output's columns.
    func write(record: CopyRow) throws {
        var line = take(&self.line)
        line.append(contentsOf: rows == 0 && !fragment ? Self.firstRowStart : Self.rowStart)
        for index in types.indices {
            if index > 0 { line.append(contentsOf: Self.separator) }
            line.append(contentsOf: keys[index])
            if record.isNull(index) {
                line.append(contentsOf: Self.null)
                continue
            }
            switch types[index] {
            case .integer, .boolean: try formatter.append(record, index, type: types[index], scale: nil, to: &line)
            case .text: JSONText.appendQuoted(record.raw(index), to: &line)
            case .textArray: Self.appendArray(try record.textArray(index)!, to: &line)
            default:
                line.append(UInt8(ascii: "\""))
                try formatter.append(record, index, type: types[index], scale: scales[index], to: &line)
                line.append(UInt8(ascii: "\""))
            }
        }
        line.append(UInt8(ascii: "}"))
        rows += 1
        self.line = line
        try file.write(self.line)
    }

    private static let firstRowStart = Array("\n    {".utf8)
    private static let rowStart = Array(",\n    {".utf8)
    private static let separator = Array(", ".utf8)
    private static let null = Array("null".utf8)

    private static func appendArray(_ elements: [String?], to line: inout [UInt8]) {
        line.append(UInt8(ascii: "["))
        for (index, element) in elements.enumerated() {
            if index > 0 { line.append(UInt8(ascii: ",")) }
            guard var element else { line.append(contentsOf: null); continue }
            element.withUTF8 { JSONText.appendQuoted(UnsafeRawBufferPointer($0), to: &line) }
        }
        line.append(UInt8(ascii: "]"))
    }

    /// Appends `count` rows another writer formatted as a fragment: each
    /// begins with the separator, which the first row of the file must not.
    func append(rowsOf fragment: AtomicFile, count: Int64) throws(EngineError) {
        guard count > 0 else { return }
        try file.append(contentsOf: fragment, skipping: rows == 0 ? 1 : 0)
        rows += count
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
}

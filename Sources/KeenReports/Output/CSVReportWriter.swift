/// Writes a report's rows as REPORTS.md's CSV: UTF-8, a header row, comma
/// separated, `\n` line ends, RFC 4180 quoting, the formula guard on text
/// the engine did not format.
final class CSVReportWriter {
    let file: AtomicFile
    private let columns: [ReportColumn]
    /// The columns' types and scales, apart, so the row loop copies no names.
    private let types: [ReportColumn.ValueType]
    private let scales: [Int?]
    private var formatter: ValueFormatter
    private let formulaGuard: Bool
    private var line: [UInt8] = []
    private var field: [UInt8] = []

    /// `header: false` for a fragment: rows only, to be appended to a file
    /// that has its header (`OutputFragment`).
    init(file: AtomicFile, columns: [ReportColumn], zone: ReportTimeZone, formulaGuard: Bool, header: Bool = true) throws(EngineError) {
        self.file = file
        self.columns = columns
        types = columns.map(\.type)
        scales = columns.map(\.scale)
        self.formatter = ValueFormatter(zone: zone)
        self.formulaGuard = formulaGuard
        guard header else { return }
        for (index, column) in columns.enumerated() {
            if index > 0 { line.append(UInt8(ascii: ",")) }
            CSVField.append(column.name, guardFormula: false, to: &line)
        }
        line.append(UInt8(ascii: "\n"))
        try file.write(line)
    }

    func write(_ row: [ReportValue]) throws(EngineError) {
        var line = take(&self.line)
        var field = take(&self.field)
        for (index, value) in row.enumerated() {
            if index > 0 { line.append(UInt8(ascii: ",")) }
            if case .null = value { continue }
            field.removeAll(keepingCapacity: true)
            formatter.append(value, column: columns[index], to: &field)
            appendField(field, value.isEngineFormatted, to: &line)
        }
        line.append(UInt8(ascii: "\n"))
        self.field = field
        self.line = line
        try file.write(self.line)
    }

    /// Writes a COPY row whose columns are this output's columns.
    func write(record: CopyRow) throws {
        var line = take(&self.line)
        var field = take(&self.field)
        defer { self.field = field }
        for index in types.indices {
            if index > 0 { line.append(UInt8(ascii: ",")) }
            if record.isNull(index) { continue }
            switch types[index] {
            case .text:
                // Straight from the row's bytes.
                CSVField.append(record.raw(index), guardFormula: formulaGuard, to: &line)
            case .textArray:
                field.removeAll(keepingCapacity: true)
                try formatter.append(record, index, type: .textArray, scale: nil, to: &field)
                appendField(field, false, to: &line)
            default:
                // Numbers, dates, timestamps and ids need neither quotes nor the guard.
                try formatter.append(record, index, type: types[index], scale: scales[index], to: &line)
            }
        }
        line.append(UInt8(ascii: "\n"))
        self.line = line
        try file.write(self.line)
    }

    /// Appends rows another writer formatted (a fragment's file).
    func append(rowsOf fragment: AtomicFile) throws(EngineError) {
        try file.append(contentsOf: fragment)
    }

    private func appendField(_ field: [UInt8], _ engineFormatted: Bool, to line: inout [UInt8]) {
        field.withUnsafeBytes { CSVField.append($0, guardFormula: formulaGuard && !engineFormatted, to: &line) }
    }
}

/// Moves a buffer out of a stored property (leaving it empty) so a loop
/// appends to a local, not through the object, and keeps its capacity.
func take(_ buffer: inout [UInt8]) -> [UInt8] {
    var taken: [UInt8] = []
    swap(&taken, &buffer)
    taken.removeAll(keepingCapacity: true)
    return taken
}

extension ReportValue {
    /// Numbers, dates, timestamps and ids the engine formats are never
    /// formula-guarded; text from the data is.
    var isEngineFormatted: Bool {
        switch self {
        case .text, .textArray: false
        default: true
        }
    }
}

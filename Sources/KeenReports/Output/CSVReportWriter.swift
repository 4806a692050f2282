/// Writes a report's rows as REPORTS.md's CSV: UTF-8, a header row, comma
/// separated, `\n` line ends, RFC 4180 quoting, the formula guard on text
/// the engine did not format.
final class CSVReportWriter {
    let file: AtomicFile
    private let columns: [ReportColumn]
    private var formatter: ValueFormatter
    private let formulaGuard: Bool
    private var line: [UInt8] = []
    private var field: [UInt8] = []

    init(file: AtomicFile, columns: [ReportColumn], zone: ReportTimeZone, formulaGuard: Bool) throws(EngineError) {
        self.file = file
        self.columns = columns
        self.formatter = ValueFormatter(zone: zone)
        self.formulaGuard = formulaGuard
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
        for (index, column) in columns.enumerated() {
            if index > 0 { line.append(UInt8(ascii: ",")) }
            if record.isNull(index) { continue }
            if column.type == .text {
                // Straight from the row's bytes.
                CSVField.append(record.raw(index), guardFormula: formulaGuard, to: &line)
                continue
            }
            field.removeAll(keepingCapacity: true)
            try formatter.append(record, index, column: column, to: &field)
            appendField(field, column.type != .textArray, to: &line)
        }
        line.append(UInt8(ascii: "\n"))
        self.line = line
        try file.write(self.line)
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

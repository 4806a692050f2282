/// Writes a report's rows as REPORTS.md's CSV: UTF-8, a header row, comma
/// separated, `\n` line ends, RFC 4180 quoting, the formula guard on text
/// the engine did not format.
final class CSVReportWriter {
    let file: AtomicFile
    private let columns: [ReportColumn]
    private var formatter: ValueFormatter
    private let formulaGuard: Bool
    private var line: [UInt8] = []

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
        line.removeAll(keepingCapacity: true)
        for (index, value) in row.enumerated() {
            if index > 0 { line.append(UInt8(ascii: ",")) }
            switch value {
            case .null:
                break
            case .text, .textArray:
                CSVField.append(formatter.text(value, column: columns[index]), guardFormula: formulaGuard, to: &line)
            default:
                CSVField.append(formatter.text(value, column: columns[index]), guardFormula: false, to: &line)
            }
        }
        line.append(UInt8(ascii: "\n"))
        try file.write(line)
    }
}

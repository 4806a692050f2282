/// Rows of one output formatted apart, by the thread that reads them (one
/// range of a split scan), into temporary files beside the output's own; the
/// output appends their bytes in order (`ReportOutput.append`), so
/// formatting runs on as many threads as there are ranges. CSV and JSON only.
/// Unchecked: one thread writes it, then hands it over, joined, to the output.
final class OutputFragment: @unchecked Sendable {
    let csv: CSVReportWriter?
    let json: JSONReportWriter?
    private(set) var rowCount: Int64 = 0
    private let name: String
    private let columnNames: [String]

    init(name: String, number: Int, columns: [ReportColumn], options: OutputOptions, zone: ReportTimeZone) throws(EngineError) {
        self.name = name
        columnNames = columns.map(\.name)
        let base = options.path(of: ".\(name).part\(number)", .csv)
        csv = options.formats.contains(.csv)
            ? try CSVReportWriter(file: AtomicFile(path: base), columns: columns, zone: zone, formulaGuard: options.formulaGuard,
                                  header: false)
            : nil
        json = options.formats.contains(.json)
            ? try JSONReportWriter(file: AtomicFile(path: options.path(of: ".\(name).part\(number)", .json)), report: name,
                                   columns: columns, parameters: .null, generatedAt: "", zone: zone, fragment: true)
            : nil
    }

    /// What formats a query's rows, once it is known to return exactly the
    /// output's columns (as `ReportOutput.recordWriter`).
    func recordWriter(for result: ResultColumns) throws(EngineError) -> (CopyRow) throws -> Void {
        try result.require(exactly: columnNames, for: name)
        return { try self.write(record: $0) }
    }

    private func write(record: CopyRow) throws {
        try csv?.write(record: record)
        try json?.write(record: record)
        rowCount += 1
    }

    /// Removes the temporary files (they are never put in place).
    func discard() {
        csv?.file.discard()
        json?.file.discard()
    }
}

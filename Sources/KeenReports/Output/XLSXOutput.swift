/// One output's workbook, `<output>.xlsx`: its data sheets, then `About`.
/// libxlsxwriter writes the file by name at the end, into the staged
/// temporary file, which the run renames into place with its other files.
final class XLSXOutput {
    let file: AtomicFile
    let writer: XLSXReportWriter
    private let workbook: XLSXWorkbook
    private let name: String
    private let columns: [ReportColumn]
    private let parameters: JSONValue
    private let generatedAt: String
    private let zone: ReportTimeZone

    init(file: AtomicFile, name: String, columns: [ReportColumn], parameters: JSONValue, generatedAt: String,
         zone: ReportTimeZone, rowsPerSheet: Int) throws(EngineError) {
        self.file = file
        workbook = try XLSXWorkbook(path: file.handOver())
        writer = try XLSXReportWriter(workbook: workbook, sheetName: name, columns: columns, zone: zone, rowsPerSheet: rowsPerSheet)
        self.name = name
        self.columns = columns
        self.parameters = parameters
        self.generatedAt = generatedAt
        self.zone = zone
    }

    func finish(rows: Int64) throws(EngineError) {
        try writer.finish()
        try XLSXAboutSheet.write(to: workbook, report: name, parameters: parameters, zone: zone, generatedAt: generatedAt,
                                 rows: rows, columns: columns)
        try workbook.close()
    }
}

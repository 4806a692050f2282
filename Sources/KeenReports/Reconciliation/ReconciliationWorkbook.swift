/// `reconciliation.xlsx`, for finance: a `Summary` sheet with the summary
/// JSON's figures as typed cells (amounts as numbers with four places, counts
/// as integers, nested members as dotted names), and a `Discrepancies` sheet
/// with the same rows as `reconciliation_discrepancies.csv`.
enum ReconciliationWorkbook {
    static func write(_ file: AtomicFile, summary: JSONValue, discrepancies: [Discrepancy],
                      zone: ReportTimeZone) throws(EngineError) {
        let workbook = try XLSXWorkbook(path: file.handOver())
        let sheet = try workbook.addSheet(named: "Summary")
        for (index, heading) in ["item", "value"].enumerated() {
            try workbook.write(sheet, row: 0, column: index, string: heading, format: .bold)
        }
        workbook.freezeHeader(sheet)
        var row = 0
        for (name, value) in flattened(summary) {
            row += 1
            try workbook.write(sheet, row: row, column: 0, string: name)
            switch value {
            case .null, .array, .object: break
            case .bool(let flag): try workbook.write(sheet, row: row, column: 1, boolean: flag)
            case .integer(let number): try workbook.write(sheet, row: row, column: 1, number: Double(number), format: .integer)
            case .string(let text):
                // Amounts are exact decimals written as strings in the JSON.
                if text.contains("."), let amount = ExactDecimal(text), amount.significantDigits <= 15, let number = Double(text) {
                    try workbook.write(sheet, row: row, column: 1, number: number, format: .decimal(scale: amount.scale))
                } else {
                    try workbook.write(sheet, row: row, column: 1, string: text)
                }
            }
        }
        try workbook.setWidth(sheet, column: 0, characters: 48)
        try workbook.setWidth(sheet, column: 1, characters: 28)

        let writer = try XLSXReportWriter(workbook: workbook, sheetName: "Discrepancies", columns: Discrepancy.columns, zone: zone)
        for discrepancy in discrepancies { try writer.write(try Discrepancy.columns.values(of: discrepancy.row)) }
        try writer.finish()
        try workbook.close()
    }

    /// Every leaf of a JSON object with its dotted path, in order.
    static func flattened(_ value: JSONValue, prefix: String = "") -> [(String, JSONValue)] {
        switch value {
        case .object(let members):
            members.flatMap { flattened($0.1, prefix: prefix.isEmpty ? $0.0 : prefix + "." + $0.0) }
        case .array(let elements):
            elements.enumerated().flatMap { flattened($0.element, prefix: prefix + "[\($0.offset)]") }
        default:
            [(prefix, value)]
        }
    }
}

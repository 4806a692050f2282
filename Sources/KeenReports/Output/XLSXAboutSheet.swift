/// The last sheet of a report's workbook, `About`: what the report is, its
/// parameters, the time zone its date-times are the wall clock of, when it was
/// generated, its row count, and every column with its type and meaning
/// (what `describe` prints).
enum XLSXAboutSheet {
    static func write(to workbook: XLSXWorkbook, report: String, parameters: JSONValue, zone: ReportTimeZone,
                      generatedAt: String, rows: Int64, columns: [ReportColumn]) throws(EngineError) {
        let sheet = try workbook.addSheet(named: "About")
        var entries: [(String, String)] = [("report", report), ("time zone", zone.identifier + " (date-times are its wall clock)"),
                                           ("generated_at", generatedAt)]
        if case .object(let members) = parameters {
            for (name, value) in members { entries.append((name, value.plainText)) }
        }
        var row = 0
        for (name, value) in entries {
            try workbook.write(sheet, row: row, column: 0, string: name, format: .bold)
            try workbook.write(sheet, row: row, column: 1, string: value)
            row += 1
        }
        try workbook.write(sheet, row: row, column: 0, string: "rows", format: .bold)
        try workbook.write(sheet, row: row, column: 1, number: Double(rows), format: .integer)
        row += 2
        for (index, heading) in ["column", "type", "meaning"].enumerated() {
            try workbook.write(sheet, row: row, column: index, string: heading, format: .bold)
        }
        for column in columns {
            row += 1
            try workbook.write(sheet, row: row, column: 0, string: column.name)
            try workbook.write(sheet, row: row, column: 1, string: column.typeDescription)
            try workbook.write(sheet, row: row, column: 2, string: column.meaning)
        }
        try workbook.setWidth(sheet, column: 0, characters: 28)
        try workbook.setWidth(sheet, column: 1, characters: 44)
        try workbook.setWidth(sheet, column: 2, characters: 80)
    }
}

extension JSONValue {
    /// The value as a person reads it in a cell: strings bare, null empty.
    var plainText: String {
        switch self {
        case .null: ""
        case .string(let text): text
        default: serialized()
        }
    }
}

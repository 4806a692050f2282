import Foundation

/// Writes a report's rows into typed cells of a workbook (FORMATS.md, XLSX):
/// a bold, frozen header with an autofilter; integers and decimals as
/// numbers with their scale's format; timestamps as date-times of the wall
/// clock in the report time zone; dates, booleans; text never as a formula.
/// A number Excel cannot hold exactly (more than 15 significant digits) is
/// written as text with its exact digits, so a cell never shows a number the
/// CSV does not. Past Excel's last row the rows go on in `<name> 2`, ...
final class XLSXReportWriter {
    private let workbook: XLSXWorkbook
    private let baseName: String
    private let columns: [ReportColumn]
    private let types: [ReportColumn.ValueType]
    private var timestamps: TimestampFormatter
    /// Each data sheet with its data rows so far; the last is being written.
    private var sheets: [(sheet: XLSXWorkbook.Sheet, rows: Int)] = []
    /// Widest text per column seen in the rows sampled for widths.
    private var widths: [Int]

    /// Data rows per sheet: Excel's limit less the header.
    static let maxRowsPerSheet = XLSXWorkbook.maxRows - 1
    /// Data rows of this writer's sheets: tests lower it
    /// (`OutputOptions.xlsxRowsPerSheet`) to see the continuation sheets
    /// without writing a million rows.
    private let rowsPerSheet: Int
    /// Rows of each sheet whose text widths are measured.
    private static let sampledRows = 1_000
    private static let maxWidth = 60

    init(workbook: XLSXWorkbook, sheetName: String, columns: [ReportColumn], zone: ReportTimeZone,
         rowsPerSheet: Int = XLSXReportWriter.maxRowsPerSheet) throws(EngineError) {
        self.workbook = workbook
        self.rowsPerSheet = min(max(1, rowsPerSheet), Self.maxRowsPerSheet)
        baseName = sheetName
        self.columns = columns
        types = columns.map(\.type)
        timestamps = TimestampFormatter(zone: zone)
        widths = columns.map { max($0.name.count, Self.typicalWidth($0.type)) }
        try startSheet()
    }

    func write(_ row: [ReportValue]) throws(EngineError) {
        if sheets[sheets.count - 1].rows == rowsPerSheet { try startSheet() }
        let (sheet, written) = sheets[sheets.count - 1]
        let rowIndex = written + 1
        for (index, value) in row.enumerated() {
            try write(value, column: index, row: rowIndex, sheet: sheet)
        }
        sheets[sheets.count - 1].rows = written + 1
    }

    /// Writes a COPY row whose columns are this output's columns.
    func write(record: CopyRow) throws {
        try write(types.indices.map { index throws(EngineError) in try record.value(index, as: types[index]) })
    }

    /// Sets the autofilter and the column widths of every data sheet.
    func finish() throws(EngineError) {
        for (sheet, rows) in sheets {
            try workbook.autofilter(sheet, lastRow: rows, lastColumn: columns.count - 1)
            for (index, width) in widths.enumerated() {
                try workbook.setWidth(sheet, column: index, characters: Double(min(width, Self.maxWidth) + 2))
            }
        }
    }

    private func startSheet() throws(EngineError) {
        let name = Self.sheetName(baseName, number: sheets.count + 1)
        let sheet = try workbook.addSheet(named: name)
        for (index, column) in columns.enumerated() {
            try workbook.write(sheet, row: 0, column: index, string: column.name, format: .bold)
        }
        workbook.freezeHeader(sheet)
        sheets.append((sheet, 0))
    }

    /// `name` cut to Excel's 31 characters; `name 2`, `name 3`, ... after the first.
    static func sheetName(_ name: String, number: Int) -> String {
        let suffix = number == 1 ? "" : " \(number)"
        return String(name.prefix(XLSXWorkbook.maxSheetNameLength - suffix.count)) + suffix
    }

    private func write(_ value: ReportValue, column: Int, row: Int, sheet: XLSXWorkbook.Sheet) throws(EngineError) {
        // Widths are fitted to the first rows of each sheet alone: measuring
        // every row cost a String per number of a million-row workbook.
        let sampled = row <= Self.sampledRows
        var shown = 0
        switch value {
        case .null:
            return
        case .integer(let number):
            if number.magnitude < 1_000_000_000_000_000 {
                try workbook.write(sheet, row: row, column: column, number: Double(number), format: .integer)
            } else {
                try workbook.write(sheet, row: row, column: column, string: String(number))
            }
            if sampled { shown = String(number).count }
        case .decimal(let number):
            let scale = columns[column].scale ?? number.scale
            let rounded = number.rounded(toScale: scale)
            let text = rounded.formatted(places: scale)
            // A column declared as text (a discrepancy's expected/actual holds
            // amounts, ids or currencies) keeps its values as text.
            if columns[column].type == .decimal, rounded.significantDigits <= 15, let double = Double(text) {
                try workbook.write(sheet, row: row, column: column, number: double, format: .decimal(scale: scale))
            } else {
                try workbook.write(sheet, row: row, column: column, string: text)
            }
            if sampled { shown = text.count }
        case .text(let text), .uuid(let text):
            try writeText(text, column: column, row: row, sheet: sheet)
            if sampled { shown = text.count }
        case .textArray(let elements):
            let text = elements.map { $0 ?? "" }.joined(separator: ";")
            try writeText(text, column: column, row: row, sheet: sheet)
            if sampled { shown = text.count }
        case .boolean(let flag):
            try workbook.write(sheet, row: row, column: column, boolean: flag)
        case .timestamp(let instant):
            let (date, ofDay) = timestamps.wallClock(of: instant)
            let seconds = ofDay / Timestamp.microsecondsPerSecond
            let fraction = Double(ofDay % Timestamp.microsecondsPerSecond) / 1_000_000
            try workbook.write(sheet, row: row, column: column, year: date.year, month: date.month, day: date.day,
                               hour: Int(seconds / 3600), minute: Int(seconds / 60 % 60),
                               seconds: Double(seconds % 60) + fraction, format: .dateTime)
        case .date(let date):
            try workbook.write(sheet, row: row, column: column, year: date.year, month: date.month, day: date.day,
                               hour: 0, minute: 0, seconds: 0, format: .date)
        }
        if shown > widths[column] { widths[column] = shown }
    }

    private func writeText(_ text: String, column: Int, row: Int, sheet: XLSXWorkbook.Sheet) throws(EngineError) {
        guard text.utf16.count <= XLSXWorkbook.maxCellCharacters else {
            throw .engine("\(columns[column].name) of row \(row) holds \(text.utf16.count) characters; an Excel cell holds at most \(XLSXWorkbook.maxCellCharacters) (use the CSV)")
        }
        try workbook.write(sheet, row: row, column: column, string: text)
    }

    /// The width of a column's usual values, before any row is seen.
    private static func typicalWidth(_ type: ReportColumn.ValueType) -> Int {
        switch type {
        case .timestamp: 19
        case .uuid: 36
        case .date: 10
        default: 8
        }
    }
}

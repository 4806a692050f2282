import Foundation
import Testing
@testable import KeenReports

/// A workbook as openpyxl reads it (Support/xlsx_dump.py), in the Python of
/// the virtual environment scripts/test makes (KEEN_TEST_PYTHON).
struct Workbook: Decodable {
    struct Cell: Decodable, Equatable {
        /// n (number), s (string), b (boolean), d (date-time)
        let t: String
        let v: String
        let f: String
        let bold: Bool
    }

    struct Sheet: Decodable {
        let name: String
        let freeze: String?
        let filter: String?
        let rows: [[Cell?]]
    }

    let sheets: [Sheet]

    static func read(_ path: String) throws -> Workbook {
        try JSONDecoder().decode(Workbook.self, from: try TestEnvironment.python("xlsx_dump.py", [path]))
    }

    func sheet(_ name: String) throws -> Sheet {
        try #require(sheets.first { $0.name == name }, "no sheet \(name) in \(sheets.map(\.name))")
    }
}

/// Compares the data rows of workbook sheets (header row first in each) with
/// a CSV written in the same run, cell by cell, as each column's type says a
/// cell must hold it; names the first cell that differs.
func expectWorkbookEqualsCSV(_ sheets: [Workbook.Sheet], _ csv: [[String]], columns: [ReportColumn], _ label: String,
                             sourceLocation: SourceLocation = #_sourceLocation) {
    var rows: [[Workbook.Cell?]] = []
    for sheet in sheets {
        let header = sheet.rows.first ?? []
        if header.map({ $0?.v ?? "" }) != csv[0] || !header.allSatisfy({ $0?.bold == true }) {
            Issue.record("\(label) \(sheet.name): header \(header)", sourceLocation: sourceLocation)
            return
        }
        if sheet.freeze != "A2" || sheet.filter?.hasPrefix("A1:") != true {
            Issue.record("\(label) \(sheet.name): freeze \(sheet.freeze ?? "none"), filter \(sheet.filter ?? "none")", sourceLocation: sourceLocation)
        }
        rows += sheet.rows.dropFirst()
    }
    #expect(rows.count == csv.count - 1, "\(label): \(rows.count) rows, CSV has \(csv.count - 1)", sourceLocation: sourceLocation)
    for (rowIndex, (cells, expected)) in zip(rows, csv.dropFirst()).enumerated() {
        for (index, column) in columns.enumerated() {
            let cell = index < cells.count ? cells[index] : nil
            if let problem = cellProblem(cell, expected: expected[index], column: column) {
                Issue.record("\(label) row \(rowIndex + 1), \(column.name): \(problem)", sourceLocation: sourceLocation)
                return
            }
        }
    }
}

/// Why `cell` does not hold the CSV's `expected` text, or nil when it does.
func cellProblem(_ cell: Workbook.Cell?, expected: String, column: ReportColumn) -> String? {
    guard let cell else { return expected.isEmpty ? nil : "empty, CSV has \(expected)" }
    if expected.isEmpty { return cell.t == "s" && cell.v.isEmpty ? nil : "\(cell), CSV is empty" }
    switch column.type {
    case .integer, .decimal:
        let places = column.scale ?? 0
        let format = places == 0 ? "0" : "0." + String(repeating: "0", count: places)
        if cell.t == "s" {
            // Only a number Excel cannot hold exactly may be text, with exact digits.
            let fits = (ExactDecimal(expected)?.significantDigits ?? 0) <= 15
            return !fits && cell.v == expected ? nil : "text \(cell.v) for \(expected)"
        }
        guard cell.t == "n", cell.f == format else { return "\(cell) is not a number with format \(format)" }
        guard let value = ExactDecimal(cell.v.decimalText),
              value.formatted(places: places) == expected else { return "\(cell.v) is not \(expected)" }
        return nil
    case .timestamp:
        // The CSV's wall clock, without its offset; openpyxl reads date-times
        // to the millisecond.
        guard cell.t == "d", cell.f == "yyyy-mm-dd hh:mm:ss" else { return "\(cell) is not a date-time" }
        guard let shown = wallClockMicroseconds(cell.v), let written = wallClockMicroseconds(expected),
              abs(shown - written) <= 500 else { return "\(cell.v) is not \(expected)" }
        return nil
    case .date:
        return cell.t == "d" && cell.f == "yyyy-mm-dd" && cell.v == expected + "T00:00:00" ? nil : "\(cell) is not the date \(expected)"
    case .boolean:
        return cell.t == "b" && cell.v == expected ? nil : "\(cell) is not \(expected)"
    case .text, .uuid, .textArray:
        return cell.t == "s" && cell.v == expected ? nil : "\(cell) is not the text \(expected)"
    }
}

/// `YYYY-MM-DDTHH:MM:SS[.ffffff]` (anything after it ignored) as
/// microseconds since 1970-01-01 of that wall clock.
func wallClockMicroseconds(_ text: String) -> Int64? {
    let bytes = Array(text.utf8)
    guard bytes.count >= 19, let date = CivilDate(String(decoding: bytes[0..<10], as: UTF8.self)),
          let hour = Int64(String(decoding: bytes[11..<13], as: UTF8.self)),
          let minute = Int64(String(decoding: bytes[14..<16], as: UTF8.self)),
          let second = Int64(String(decoding: bytes[17..<19], as: UTF8.self)) else { return nil }
    var micros: Int64 = 0
    if bytes.count > 20, bytes[19] == UInt8(ascii: ".") {
        let digits = bytes[20...].prefix { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
        micros = Int64(String(decoding: digits.prefix(6), as: UTF8.self).padding(toLength: 6, withPad: "0", startingAt: 0)) ?? 0
    }
    return ((date.daysSinceUnixEpoch * 86_400 + hour * 3600 + minute * 60 + second) * 1_000_000) + micros
}

private extension String {
    /// Python's repr of a float, as plain decimal digits (1e-06 → 0.000001).
    var decimalText: String {
        guard let e = firstIndex(where: { $0 == "e" || $0 == "E" }), let exponent = Int(self[index(after: e)...]) else { return self }
        return Decimal(string: self).map { NSDecimalNumber(decimal: $0).stringValue } ?? String(self[..<e]) + "E\(exponent)"
    }
}

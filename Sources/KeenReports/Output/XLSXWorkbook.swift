import CLibXlsxWriter
import Foundation

/// One libxlsxwriter workbook. Every `lxw_*` pointer of the engine lives in
/// here; a workbook belongs to the one thread that writes it.
///
/// It runs in libxlsxwriter's `constant_memory` mode: each row goes to a
/// temporary file as soon as a later row is written, so a sheet of a million
/// rows takes the memory of one row. Rows of a sheet must therefore come in
/// order, which the report writers' streams do. `close` writes the zip to
/// the path given at creation (the caller's temporary name; `AtomicFile`
/// renames it into place).
final class XLSXWorkbook {
    /// A sheet of this workbook.
    struct Sheet {
        fileprivate let pointer: UnsafeMutablePointer<lxw_worksheet>
    }

    /// The number formats cells are written with.
    enum NumberFormat: Hashable {
        case bold
        case integer
        case decimal(scale: Int)
        case dateTime
        case date

        var pattern: String? {
            switch self {
            case .bold: nil
            case .integer: "0"
            case .decimal(let scale): scale == 0 ? "0" : "0." + String(repeating: "0", count: scale)
            case .dateTime: "yyyy-mm-dd hh:mm:ss"
            case .date: "yyyy-mm-dd"
            }
        }
    }

    /// Excel's limits: rows per sheet (header included) and characters per cell.
    static let maxRows = Int(LXW_ROW_MAX)
    static let maxCellCharacters = 32_767
    static let maxSheetNameLength = Int(LXW_SHEETNAME_MAX)

    private let workbook: UnsafeMutablePointer<lxw_workbook>
    private let path: String
    private var formats: [NumberFormat: UnsafeMutablePointer<lxw_format>] = [:]
    private var closed = false
    /// libxlsxwriter prints numbers with the C library's printf, which reads
    /// LC_NUMERIC: a locale with a decimal comma would write "1,5"
    /// (libxlsxwriter#64). Numbers are written under this C locale.
    private let numericLocale: locale_t?

    init(path: String) throws(EngineError) {
        self.path = path
        var options = lxw_workbook_options()
        options.constant_memory = UInt8(LXW_TRUE.rawValue)
        // Past 4 GB a zip needs ZIP64; a year of session_usage can get there.
        options.use_zip64 = UInt8(LXW_TRUE.rawValue)
        guard let workbook = workbook_new_opt(path, &options) else {
            throw .output("cannot create the workbook \(path): \(String(cString: strerror(errno)))")
        }
        self.workbook = workbook
        numericLocale = newlocale(LC_NUMERIC_MASK, "C", nil)
    }

    deinit {
        // A workbook never closed (a failed run) is freed without writing
        // its file; its temporary files go with it.
        if !closed { lxw_workbook_free(workbook) }
        if let numericLocale { freelocale(numericLocale) }
    }

    func addSheet(named name: String) throws(EngineError) -> Sheet {
        guard let sheet = workbook_add_worksheet(workbook, name) else {
            throw .engine("cannot add the sheet '\(name)' to \(path)")
        }
        return Sheet(pointer: sheet)
    }

    func write(_ sheet: Sheet, row: Int, column: Int, number: Double, format: NumberFormat) throws(EngineError) {
        let format = self.format(format)
        let previous = numericLocale.map { uselocale($0) }
        defer { if let previous { uselocale(previous) } }
        try check(worksheet_write_number(sheet.pointer, lxw_row_t(row), lxw_col_t(column), number, format), row, column)
    }

    func write(_ sheet: Sheet, row: Int, column: Int, string: String, format: NumberFormat? = nil) throws(EngineError) {
        try check(worksheet_write_string(sheet.pointer, lxw_row_t(row), lxw_col_t(column), string, format.map(self.format)), row, column)
    }

    func write(_ sheet: Sheet, row: Int, column: Int, boolean: Bool) throws(EngineError) {
        try check(worksheet_write_boolean(sheet.pointer, lxw_row_t(row), lxw_col_t(column), boolean ? 1 : 0, nil), row, column)
    }

    /// A date-time cell: the wall-clock fields, with seconds and their fraction.
    func write(_ sheet: Sheet, row: Int, column: Int, year: Int, month: Int, day: Int, hour: Int, minute: Int,
               seconds: Double, format: NumberFormat) throws(EngineError) {
        var value = lxw_datetime(year: Int32(year), month: Int32(month), day: Int32(day), hour: Int32(hour),
                                 min: Int32(minute), sec: seconds)
        let format = self.format(format)
        try check(worksheet_write_datetime(sheet.pointer, lxw_row_t(row), lxw_col_t(column), &value, format), row, column)
    }

    /// Row 1 stays in view while scrolling.
    func freezeHeader(_ sheet: Sheet) {
        worksheet_freeze_panes(sheet.pointer, 1, 0)
    }

    func autofilter(_ sheet: Sheet, lastRow: Int, lastColumn: Int) throws(EngineError) {
        try check(worksheet_autofilter(sheet.pointer, 0, 0, lxw_row_t(lastRow), lxw_col_t(lastColumn)), 0, 0)
    }

    /// Column width in characters of the default font.
    func setWidth(_ sheet: Sheet, column: Int, characters: Double) throws(EngineError) {
        try check(worksheet_set_column(sheet.pointer, lxw_col_t(column), lxw_col_t(column), characters, nil), 0, column)
    }

    /// Writes the zip to the path given at creation.
    func close() throws(EngineError) {
        closed = true
        let previous = numericLocale.map { uselocale($0) }
        defer { if let previous { uselocale(previous) } }
        errno = 0
        let result = workbook_close(workbook)
        guard result == LXW_NO_ERROR else {
            let reason = errno != 0 ? String(cString: strerror(errno)) : String(cString: lxw_strerror(result))
            throw .output("cannot write \(path): \(reason)")
        }
    }

    private func format(_ format: NumberFormat) -> UnsafeMutablePointer<lxw_format> {
        if let existing = formats[format] { return existing }
        let created = workbook_add_format(workbook)!
        if let pattern = format.pattern { format_set_num_format(created, pattern) }
        if format == .bold { format_set_bold(created) }
        formats[format] = created
        return created
    }

    private func check(_ result: lxw_error, _ row: Int, _ column: Int) throws(EngineError) {
        guard result != LXW_NO_ERROR else { return }
        throw .engine("cannot write row \(row + 1), column \(column + 1) of \(path): \(String(cString: lxw_strerror(result)))")
    }
}

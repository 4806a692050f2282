import CLibCSV

/// libcsv's writer: quotes a field RFC 4180 style (wraps it in quotes and
/// doubles the quotes inside). It always quotes, so callers decide whether a
/// field needs it (`CSVField`).
enum LibCSVQuoter {
    static func quoted(_ field: UnsafeRawBufferPointer, into output: inout [UInt8]) {
        // The quoted form is at most 2 + 2n bytes.
        let capacity = 2 + 2 * field.count
        let start = output.count
        output.append(contentsOf: repeatElement(0, count: capacity))
        let written = output.withUnsafeMutableBytes { buffer in
            csv_write(buffer.baseAddress! + start, capacity, field.baseAddress, field.count)
        }
        output.removeLast(capacity - written)
    }
}

/// libcsv's parser, fed bytes as they are read; hands back whole records.
/// Leading and trailing spaces are kept (libcsv trims them by default), and
/// a malformed quote is an error (CSV_STRICT).
public final class LibCSVParser {
    private var parser = csv_parser()
    private var record: [String] = []
    private var records: [[String]] = []
    public private(set) var line = 1

    public init() throws(EngineError) {
        guard csv_init(&parser, UInt8(CSV_STRICT | CSV_STRICT_FINI)) == 0 else { throw .engine("libcsv could not start a parser") }
        csv_set_space_func(&parser) { _ in 0 }
    }

    deinit {
        csv_free(&parser)
    }

    /// Parses a chunk and returns the records it completed.
    public func parse(_ bytes: UnsafeRawBufferPointer) throws(EngineError) -> [[String]] {
        let consumed = withUnsafeMutablePointer(to: &self.parser) { parser in
            csv_parse(parser, bytes.baseAddress, bytes.count, LibCSVParser.onField, LibCSVParser.onRecord,
                      Unmanaged.passUnretained(self).toOpaque())
        }
        guard consumed == bytes.count else { throw .badInput(errorText()) }
        defer { records.removeAll(keepingCapacity: true) }
        return records
    }

    /// Ends the input; returns the last record if it had no line end.
    public func finish() throws(EngineError) -> [[String]] {
        let status = withUnsafeMutablePointer(to: &self.parser) { parser in
            csv_fini(parser, LibCSVParser.onField, LibCSVParser.onRecord, Unmanaged.passUnretained(self).toOpaque())
        }
        guard status == 0 else { throw .badInput(errorText()) }
        defer { records.removeAll() }
        return records
    }

    private func errorText() -> String {
        let reason = String(cString: csv_strerror(csv_error(&parser)))
        return "malformed CSV near record \(line): \(reason)"
    }

    private static let onField: @convention(c) (UnsafeMutableRawPointer?, Int, UnsafeMutableRawPointer?) -> Void = { data, length, context in
        let this = Unmanaged<LibCSVParser>.fromOpaque(context!).takeUnretainedValue()
        let text = data.map { String(decoding: UnsafeRawBufferPointer(start: $0, count: length), as: UTF8.self) } ?? ""
        this.record.append(text)
    }

    private static let onRecord: @convention(c) (Int32, UnsafeMutableRawPointer?) -> Void = { _, context in
        let this = Unmanaged<LibCSVParser>.fromOpaque(context!).takeUnretainedValue()
        this.records.append(this.record)
        this.record.removeAll(keepingCapacity: true)
        this.line += 1
    }
}

extension LibCSVParser {
    /// Every record of a whole CSV text; for small files and tests.
    public static func records(of text: String) throws -> [[String]] {
        try numberedRecords(of: text).map(\.fields)
    }

    /// Every record of a whole CSV text with the line it starts on (1-based,
    /// counting the lines inside quoted fields and the blank lines libcsv
    /// skips), so errors can name the line a person sees in an editor.
    public static func numberedRecords(of text: String) throws(EngineError) -> [(line: Int, fields: [String])] {
        let parser = try LibCSVParser()
        var numbered: [(line: Int, fields: [String])] = []
        var line = 0
        var recordStart: Int?
        // Fed one physical line at a time: a record can only end at a line end.
        for var chunk in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map(Array.init) {
            line += 1
            chunk.append(UInt8(ascii: "\n"))
            let blank = chunk.allSatisfy { $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\n") }
            if recordStart == nil && !blank { recordStart = line }
            let completed: [[String]]
            do {
                completed = try chunk.withUnsafeBytes { bytes throws(EngineError) in try parser.parse(bytes) }
            } catch {
                throw .badInput("malformed CSV at line \(recordStart ?? line)")
            }
            for fields in completed {
                numbered.append((recordStart ?? line, fields))
                recordStart = nil
            }
        }
        do {
            for fields in try parser.finish() { numbered.append((recordStart ?? line, fields)) }
        } catch {
            throw .badInput("malformed CSV at line \(recordStart ?? line): a quoted field is not closed")
        }
        return numbered
    }
}

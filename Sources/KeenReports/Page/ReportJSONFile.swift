import Foundation

/// Reads a report's JSON file (REPORTS.md), or a manifest, for the pages:
/// its members and its rows, if it has any. The engine writes one row per line, so rows are parsed one line
/// at a time and a file of a hundred thousand rows takes the memory of one;
/// a file laid out otherwise is read whole. Anything unreadable is exit 65
/// naming the file: a page is never made from a damaged file.
struct ReportJSONFile {
    let path: String
    /// The top-level members other than `rows`.
    private(set) var members: [String: Any] = [:]

    /// Reads the file, handing each row to `onRow` as it comes.
    init(path: String, onRow: ([String: Any]) throws -> Void = { _ in }) throws(EngineError) {
        self.path = path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .badInput("\(path): cannot read it (missing or not readable)")
        }
        do {
            try data.withUnsafeBytes { bytes in try read(bytes, onRow: onRow) }
        } catch let error as EngineError {
            throw error
        } catch {
            throw .badInput("\(path): not a report JSON file (\(error.localizedDescription))")
        }
    }

    private mutating func read(_ bytes: UnsafeRawBufferPointer, onRow: ([String: Any]) throws -> Void) throws {
        // Header lines up to `"rows": [`, then one row per line up to `]`,
        // then the trailer; all three rejoined as one small JSON object.
        var outside: [UInt8] = []
        var inRows = false
        var rowsSeen = false
        var lineStart = 0
        for index in 0...bytes.count where index == bytes.count || bytes[index] == UInt8(ascii: "\n") {
            let line = UnsafeRawBufferPointer(rebasing: bytes[lineStart..<index])
            lineStart = index + 1
            let trimmed = Self.trimmed(line)
            if inRows {
                if trimmed.first == UInt8(ascii: "]") {
                    inRows = false
                    outside += Array("\"rows\": []".utf8) + trimmed.dropFirst()
                    continue
                }
                var row = trimmed
                if row.last == UInt8(ascii: ",") { row.removeLast() }
                guard let object = try JSONSerialization.jsonObject(with: Data(row)) as? [String: Any] else {
                    throw EngineError.badInput("\(path): a row is not a JSON object")
                }
                try onRow(object)
            } else if !rowsSeen, trimmed.elementsEqual(Array("\"rows\": [".utf8)) {
                inRows = true
                rowsSeen = true
            } else {
                outside += trimmed + [UInt8(ascii: "\n")]
            }
        }
        guard !inRows else { throw EngineError.badInput("\(path): the rows never end (a truncated file?)") }
        guard let object = try JSONSerialization.jsonObject(with: Data(rowsSeen ? outside : Array(bytes))) as? [String: Any] else {
            throw EngineError.badInput("\(path): not a JSON object")
        }
        if !rowsSeen, let rows = object["rows"] {
            // Not the engine's layout: the rows came with the whole object.
            guard let rows = rows as? [[String: Any]] else { throw EngineError.badInput("\(path): \"rows\" is not a list of objects") }
            for row in rows { try onRow(row) }
        }
        members = object.filter { $0.key != "rows" }
    }

    private static func trimmed(_ line: UnsafeRawBufferPointer) -> [UInt8] {
        var slice = line[...]
        while let first = slice.first, first == UInt8(ascii: " ") || first == UInt8(ascii: "\r") { slice = slice.dropFirst() }
        while let last = slice.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\r") { slice = slice.dropLast() }
        return Array(slice)
    }
}

/// Typed reads of a JSON row's members, each naming the file and member
/// when the value is not what the report writes.
extension Dictionary where Key == String, Value == Any {
    func text(_ key: String, in file: String) throws(EngineError) -> String {
        guard let value = self[key] as? String else { throw .badInput("\(file): \"\(key)\" is not a string") }
        return value
    }

    func optionalText(_ key: String) -> String? {
        self[key] as? String
    }

    func integer(_ key: String, in file: String) throws(EngineError) -> Int64 {
        guard let value = self[key] as? NSNumber, String(cString: value.objCType) != "c" else {
            throw .badInput("\(file): \"\(key)\" is not a number")
        }
        return value.int64Value
    }

    /// An exact decimal, which the engine writes as a JSON string.
    func decimal(_ key: String, in file: String) throws(EngineError) -> ExactDecimal {
        guard let text = self[key] as? String, let value = ExactDecimal(text) else {
            throw .badInput("\(file): \"\(key)\" is not a decimal string")
        }
        return value
    }
}

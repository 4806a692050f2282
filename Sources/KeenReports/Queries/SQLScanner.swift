/// Finds `:name` placeholders in SQL text, skipping what is not code: string
/// literals ('...', E'...'), quoted identifiers ("..."), dollar-quoted
/// bodies ($tag$...$tag$), comments (-- and /* */) and `::` casts.
enum SQLScanner {
    /// Copies `sql` into `output`, replacing each placeholder with what
    /// `replace` returns for its name.
    static func forEachPlaceholder(in sql: String, copying output: inout String, _ replace: (String) -> String) {
        let bytes = Array(sql.utf8)
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count + 256)
        var i = 0
        func copy(until end: Int) {
            result.append(contentsOf: bytes[i..<min(end, bytes.count)])
            i = min(end, bytes.count)
        }
        func find(_ pattern: [UInt8], from start: Int) -> Int {
            var j = start
            while j + pattern.count <= bytes.count {
                if bytes[j..<(j + pattern.count)].elementsEqual(pattern) { return j + pattern.count }
                j += 1
            }
            return bytes.count
        }
        while i < bytes.count {
            let c = bytes[i]
            let next = i + 1 < bytes.count ? bytes[i + 1] : 0
            switch c {
            case UInt8(ascii: "'"):
                // E'...' strings escape with backslashes, others only with ''.
                let backslashEscapes = i > 0 && (bytes[i - 1] | 0x20) == UInt8(ascii: "e")
                var j = i + 1
                while j < bytes.count {
                    if backslashEscapes && bytes[j] == UInt8(ascii: "\\") { j += 2; continue }
                    if bytes[j] == UInt8(ascii: "'") {
                        if j + 1 < bytes.count && bytes[j + 1] == UInt8(ascii: "'") { j += 2; continue }
                        break
                    }
                    j += 1
                }
                copy(until: j + 1)
            case UInt8(ascii: "\""):
                copy(until: find([UInt8(ascii: "\"")], from: i + 1))
            case UInt8(ascii: "-") where next == UInt8(ascii: "-"):
                copy(until: find([UInt8(ascii: "\n")], from: i + 2))
            case UInt8(ascii: "/") where next == UInt8(ascii: "*"):
                copy(until: find(Array("*/".utf8), from: i + 2))
            case UInt8(ascii: "$"):
                // $tag$ ... $tag$, where tag is empty or an identifier.
                var j = i + 1
                while j < bytes.count, isIdentifierByte(bytes[j]) { j += 1 }
                if j < bytes.count, bytes[j] == UInt8(ascii: "$"), i == 0 || !isIdentifierByte(bytes[i - 1]) {
                    let tag = Array(bytes[i...j])
                    copy(until: find(tag, from: j + 1))
                } else {
                    copy(until: i + 1)
                }
            case UInt8(ascii: ":") where next == UInt8(ascii: ":"):
                copy(until: i + 2)
            case UInt8(ascii: ":") where isIdentifierStart(next):
                var j = i + 1
                while j < bytes.count, isIdentifierByte(bytes[j]) { j += 1 }
                let name = String(decoding: bytes[(i + 1)..<j], as: UTF8.self)
                result.append(contentsOf: replace(name).utf8)
                i = j
            default:
                copy(until: i + 1)
            }
        }
        output = String(decoding: result, as: UTF8.self)
    }

    private static func isIdentifierStart(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "_") || ((byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z"))
    }

    private static func isIdentifierByte(_ byte: UInt8) -> Bool {
        isIdentifierStart(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}

/// A JSON value with its object keys in a fixed order, so a file written
/// twice from the same data is the same bytes. Exact decimals are strings
/// (`.string(amount.formatted(places: 4))`): no reader turns them into floats.
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case integer(Int64)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        lhs.serialized() == rhs.serialized()
    }

    /// Compact JSON, or indented by two spaces per level from `indent`.
    public func serialized(indent: Int? = nil) -> String {
        var output = ""
        write(to: &output, indent: indent)
        return output
    }

    func write(to output: inout String, indent: Int?) {
        switch self {
        case .null: output += "null"
        case .bool(let flag): output += flag ? "true" : "false"
        case .integer(let number): output += String(number)
        case .string(let text): JSONValue.appendQuoted(text, to: &output)
        case .array(let elements):
            guard !elements.isEmpty else { output += "[]"; return }
            output += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { output += "," }
                if let indent { output += "\n" + String(repeating: "  ", count: indent + 1) }
                element.write(to: &output, indent: indent.map { $0 + 1 })
            }
            if let indent { output += "\n" + String(repeating: "  ", count: indent) }
            output += "]"
        case .object(let members):
            guard !members.isEmpty else { output += "{}"; return }
            output += "{"
            for (index, (key, value)) in members.enumerated() {
                if index > 0 { output += "," }
                if let indent { output += "\n" + String(repeating: "  ", count: indent + 1) }
                JSONValue.appendQuoted(key, to: &output)
                output += indent == nil ? ":" : ": "
                value.write(to: &output, indent: indent.map { $0 + 1 })
            }
            if let indent { output += "\n" + String(repeating: "  ", count: indent) }
            output += "}"
        }
    }

    /// Appends `text` as a JSON string (escaping as `JSONText` does).
    static func appendQuoted(_ text: String, to output: inout String) {
        var text = text
        var bytes: [UInt8] = []
        text.withUTF8 { JSONText.appendQuoted(UnsafeRawBufferPointer($0), to: &bytes) }
        output += String(decoding: bytes, as: UTF8.self)
    }
}

/// How one field is written to CSV: RFC 4180 quoting (only when the field
/// holds a comma, quote, CR or LF) and the formula guard.
enum CSVField {
    /// Spreadsheets run a cell that starts with one of these as a formula.
    static let formulaStarts: Set<UInt8> = [UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"),
                                            UInt8(ascii: "@"), UInt8(ascii: "\t"), UInt8(ascii: "\r")]

    /// Appends `field` to `output`. `guardFormula` is for text the engine did
    /// not format (names, messages, arrays of them): it gets a leading `'`
    /// when it starts like a formula.
    static func append(_ field: String, guardFormula: Bool, to output: inout [UInt8]) {
        var field = field
        if guardFormula, let first = field.utf8.first, formulaStarts.contains(first) {
            field = "'" + field
        }
        let needsQuotes = field.utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\n") }
        if needsQuotes {
            field.utf8.withContiguousStorageIfAvailable { LibCSVQuoter.quoted(UnsafeRawBufferPointer($0), into: &output) }
                ?? Array(field.utf8).withUnsafeBytes { LibCSVQuoter.quoted($0, into: &output) }
        } else {
            output.append(contentsOf: field.utf8)
        }
    }
}

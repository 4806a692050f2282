/// How one field is written to CSV: RFC 4180 quoting (only when the field
/// holds a comma, quote, CR or LF) and the formula guard.
enum CSVField {
    /// Appends the field's bytes to `output`. `guardFormula` is for text the
    /// engine did not format (names, messages, arrays of them): it gets a
    /// leading `'` when it starts like a spreadsheet formula.
    static func append(_ field: UnsafeRawBufferPointer, guardFormula: Bool, to output: inout [UInt8]) {
        let guarded = guardFormula && startsLikeFormula(field)
        var needsQuotes = false
        for byte in field where byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: "\n") {
            needsQuotes = true
            break
        }
        if needsQuotes {
            // Rare: let libcsv quote it, guard included.
            var text: [UInt8] = guarded ? [UInt8(ascii: "'")] : []
            text.append(contentsOf: field)
            text.withUnsafeBytes { LibCSVQuoter.quoted($0, into: &output) }
        } else {
            if guarded { output.append(UInt8(ascii: "'")) }
            output.append(contentsOf: field)
        }
    }

    static func append(_ field: String, guardFormula: Bool, to output: inout [UInt8]) {
        var field = field
        field.withUTF8 { append(UnsafeRawBufferPointer($0), guardFormula: guardFormula, to: &output) }
    }

    /// Spreadsheets run a cell that starts with =, +, -, @, tab or CR.
    static func startsLikeFormula(_ field: UnsafeRawBufferPointer) -> Bool {
        guard let first = field.first else { return false }
        return first == UInt8(ascii: "=") || first == UInt8(ascii: "+") || first == UInt8(ascii: "-")
            || first == UInt8(ascii: "@") || first == UInt8(ascii: "\t") || first == UInt8(ascii: "\r")
    }
}

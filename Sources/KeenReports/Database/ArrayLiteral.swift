/// PostgreSQL's text form of a one-dimensional array, for a bound
/// parameter's value (never SQL text): `{"a","b \"c\""}`, each element
/// quoted, NULL for nil.
enum ArrayLiteral {
    static func text(_ elements: [String?]) -> String {
        var output = "{"
        for (index, element) in elements.enumerated() {
            if index > 0 { output += "," }
            guard let element else { output += "NULL"; continue }
            output += "\""
            for character in element.unicodeScalars {
                if character == "\"" || character == "\\" { output += "\\" }
                output.unicodeScalars.append(character)
            }
            output += "\""
        }
        return output + "}"
    }

    /// Numbers and other values that need no quotes.
    static func plain(_ elements: [String]) -> String {
        "{" + elements.joined(separator: ",") + "}"
    }
}

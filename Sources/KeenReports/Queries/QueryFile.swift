/// One query of `queries/`: a `.sql` file whose header names it, documents it
/// and declares its parameters, followed by the SQL.
///
/// ```
/// -- name: tool_totals
/// -- Per-tool totals over the tool executions in the window.
/// -- param: from timestamptz  start of the window (inclusive)
/// -- param: user_id uuid?  only this user's rows; all users when empty
/// SELECT ... WHERE execution_timestamp >= :from ...
/// ```
///
/// The header is the leading run of `--` lines. The SQL names parameters as
/// `:name`. `boundSQL` puts in each place a typed literal of the value
/// (`'2026-11-01 00:00:00+00'::timestamptz`): `COPY (query) TO STDOUT` takes no
/// bind parameters, and a literal is what lets the planner see the window, on
/// a primary or a hot standby alike. The literal's text is rendered by the
/// engine from a typed value and quoted by libpq (`ReportTransaction`).
public struct QueryFile: Sendable {
    public let name: String
    public let documentation: String
    public let parameters: [QueryParameter]
    /// The SQL as written, with `:name` placeholders.
    public let sql: String

    public init(text: String, fileName: String) throws(EngineError) {
        var name: String?
        var documentation: [String] = []
        var parameters: [QueryParameter] = []
        var bodyLines: [Substring] = []
        var inHeader = true
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingWhitespace()
            guard inHeader, trimmed.hasPrefix("--") else {
                if inHeader, trimmed.isEmpty, name == nil { continue }
                inHeader = false
                bodyLines.append(line)
                continue
            }
            let content = trimmed.dropFirst(2).trimmingWhitespace()
            let where_ = "\(fileName) line \(index + 1)"
            if content.hasPrefix("name:") {
                let value = content.dropFirst(5).trimmingWhitespace()
                guard QueryParameter.isIdentifier(value) else { throw .badInput("\(where_): query name '\(value)' is not an identifier") }
                name = String(value)
            } else if content.hasPrefix("param:") {
                let parameter = try QueryParameter(declaration: content.dropFirst(6).trimmingWhitespace(), location: where_)
                guard !parameters.contains(where: { $0.name == parameter.name }) else {
                    throw .badInput("\(where_): parameter '\(parameter.name)' declared twice")
                }
                parameters.append(parameter)
            } else {
                documentation.append(String(content))
            }
        }
        guard let name else { throw .badInput("\(fileName): the header has no '-- name: ...' line") }
        self.name = name
        self.documentation = documentation.joined(separator: "\n").trimmingWhitespaceString()
        self.parameters = parameters
        self.sql = bodyLines.joined(separator: "\n").trimmingWhitespaceString()
        guard !sql.isEmpty else { throw .badInput("\(fileName): no SQL after the header") }
        // Every placeholder must be declared; rewriting checks that.
        _ = try Self.rewrite(sql, parameters: parameters, fileName: fileName)
    }

    /// The lowercase words of the SQL that could name a table (identifiers
    /// and keywords alike; `RowSecurityCheck` keeps those that are tables).
    var words: Set<String> {
        Set(sql.lowercased().split { !($0.isLetter || $0.isNumber || $0 == "_") }.map(String.init))
    }

    /// The SQL with every `:name` replaced by `literal(parameter)`: a quoted,
    /// typed literal of its value, or NULL.
    public func boundSQL(_ literal: (QueryParameter) -> String) -> String {
        // The constructor already rewrote it once, so this cannot fail.
        (try? Self.rewrite(sql, parameters: parameters, fileName: name, literal: literal)) ?? sql
    }

    static func rewrite(_ sql: String, parameters: [QueryParameter], fileName: String,
                        literal: (QueryParameter) -> String = { "NULL::\($0.type.rawValue)" }) throws(EngineError) -> String {
        var output = ""
        var failure: EngineError?
        SQLScanner.forEachPlaceholder(in: sql, copying: &output) { placeholder in
            guard let parameter = parameters.first(where: { $0.name == placeholder }) else {
                if failure == nil { failure = .badInput("\(fileName): ':\(placeholder)' is used but not declared with '-- param:'") }
                return ":" + placeholder
            }
            return "(" + literal(parameter) + ")"
        }
        if let failure { throw failure }
        return output
    }
}

/// A named, typed parameter of a query.
public struct QueryParameter: Sendable, Equatable {
    public enum ValueType: String, Sendable, CaseIterable {
        case timestamptz, date, text, uuid, numeric, integer, tid
        case textArray = "text[]"
        case uuidArray = "uuid[]"
        case intervalArray = "interval[]"
    }

    public let name: String
    public let type: ValueType
    /// Optional parameters may be empty; the query sees NULL.
    public let optional: Bool
    public let meaning: String

    /// `name type[?]  meaning`
    init(declaration: Substring, location: String) throws(EngineError) {
        let words = declaration.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
        guard words.count >= 2 else { throw .badInput("\(location): a parameter is declared as 'param: name type  meaning'") }
        guard Self.isIdentifier(words[0]) else { throw .badInput("\(location): parameter name '\(words[0])' is not an identifier") }
        var typeName = words[1]
        optional = typeName.hasSuffix("?")
        if optional { typeName = typeName.dropLast() }
        guard let type = ValueType(rawValue: String(typeName)) else {
            throw .badInput("\(location): unknown parameter type '\(typeName)' (one of \(ValueType.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        name = String(words[0])
        self.type = type
        meaning = words.count > 2 ? String(words[2]).trimmingWhitespaceString() : ""
    }

    static func isIdentifier(_ text: Substring) -> Bool {
        guard let first = text.utf8.first, first == UInt8(ascii: "_") || (first | 0x20) >= UInt8(ascii: "a") && (first | 0x20) <= UInt8(ascii: "z") else { return false }
        return text.utf8.allSatisfy { $0 == UInt8(ascii: "_") || ($0 | 0x20) >= UInt8(ascii: "a") && ($0 | 0x20) <= UInt8(ascii: "z") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> SubSequence {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        guard let start = firstIndex(where: { !isSpace($0) }) else { return self[endIndex...] }
        let end = lastIndex(where: { !isSpace($0) })!
        return self[start...end]
    }

    func trimmingWhitespaceString() -> String { String(trimmingWhitespace()) }
}

/// A duration as PostgreSQL's `statement_timeout` takes it: a whole number
/// with an optional unit (ms, s, min, h, d; none is milliseconds; 0 is no
/// limit). The command line's `--statement-timeout` and `--replica-wait` are
/// written so; the engine passes `text` to the server as a bound value.
public struct StatementTimeout: Sendable, Equatable, CustomStringConvertible {
    /// As written, which is what the server is given.
    public let text: String
    public let seconds: Double

    public init?(_ text: String) {
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 9, let value = Double(digits) else { return nil }
        let units: [String: Double] = ["": 0.001, "ms": 0.001, "s": 1, "min": 60, "h": 3600, "d": 86400]
        guard let unit = units[String(text.dropFirst(digits.count))] else { return nil }
        self.text = text
        seconds = value * unit
    }

    public var description: String { text }

    /// Generous, but a runaway query still ends.
    public static let standard = StatementTimeout("1h")!
}

/// Durations on the command line (`--statement-timeout`, `--replica-wait`):
/// a whole number with an optional unit that PostgreSQL's `statement_timeout`
/// understands (ms, s, min, h, d; none is milliseconds; 0 is no limit).
public enum StatementTimeout {
    public static func isValid(_ text: String) -> Bool {
        seconds(text) != nil
    }

    /// The duration in seconds, or nil when it is not one.
    public static func seconds(_ text: String) -> Double? {
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 9, let value = Double(digits) else { return nil }
        let units: [String: Double] = ["": 0.001, "ms": 0.001, "s": 1, "min": 60, "h": 3600, "d": 86400]
        return units[String(text.dropFirst(digits.count))].map { value * $0 }
    }
}

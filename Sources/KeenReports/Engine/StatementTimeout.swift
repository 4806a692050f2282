/// `--statement-timeout` values: a whole number with an optional unit that
/// PostgreSQL's `statement_timeout` understands (ms, s, min, h, d; none is
/// milliseconds; 0 is no limit).
public enum StatementTimeout {
    public static func isValid(_ text: String) -> Bool {
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 9 else { return false }
        return ["", "ms", "s", "min", "h", "d"].contains(String(text.dropFirst(digits.count)))
    }
}

import ArgumentParser
import KeenReports

/// How the engine's value types are read from the command line: parsed
/// once, either by ArgumentParser (`ExpressibleByArgument`) or by an
/// option's `transform`, which throws what a bad value should look like.

/// A decimal read and checked by ArgumentParser, exactly (never through Double).
extension ExactDecimal: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
    public var defaultValueDescription: String { description }
}

extension CivilDate {
    /// An option's text as a date, or what it should look like.
    static func parse(_ text: String) throws -> CivilDate {
        guard let date = CivilDate(text) else { throw ValidationError("not a date (YYYY-MM-DD)") }
        return date
    }
}

extension StatementTimeout {
    /// An option's text as a duration, or what it should look like.
    static func parse(_ text: String) throws -> StatementTimeout {
        guard let duration = StatementTimeout(text) else {
            throw ValidationError("not a duration like 500ms, 30s, 15min, 2h or 0")
        }
        return duration
    }
}

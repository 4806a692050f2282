/// An instant, as PostgreSQL's `timestamptz` holds it: microseconds since
/// 2000-01-01 00:00:00 UTC. Time zones only matter when it is written or
/// bucketed (see `ReportTimeZone`).
public struct Timestamp: Sendable, Hashable, Comparable {
    public let microsecondsSincePostgresEpoch: Int64

    /// Seconds from 1970-01-01 to 2000-01-01.
    static let postgresEpochInUnixSeconds: Int64 = 946_684_800
    public static let microsecondsPerSecond: Int64 = 1_000_000
    public static let microsecondsPerHour: Int64 = 3_600_000_000

    public init(microsecondsSincePostgresEpoch: Int64) {
        self.microsecondsSincePostgresEpoch = microsecondsSincePostgresEpoch
    }

    public init(unixMicroseconds: Int64) {
        self.init(microsecondsSincePostgresEpoch: unixMicroseconds - Self.postgresEpochInUnixSeconds * Self.microsecondsPerSecond)
    }

    public var unixMicroseconds: Int64 {
        microsecondsSincePostgresEpoch + Self.postgresEpochInUnixSeconds * Self.microsecondsPerSecond
    }

    /// Whole Unix seconds, rounded down.
    public var unixSeconds: Int64 {
        unixMicroseconds.floorDivided(by: Self.microsecondsPerSecond)
    }

    public func adding(microseconds: Int64) -> Timestamp {
        Timestamp(microsecondsSincePostgresEpoch: microsecondsSincePostgresEpoch + microseconds)
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.microsecondsSincePostgresEpoch < rhs.microsecondsSincePostgresEpoch
    }

    /// The instant in UTC, `2026-11-26T13:00:00Z` (with a six-digit fraction
    /// when the microseconds are not zero): how the engine hands instants to
    /// PostgreSQL.
    public var utcText: String {
        var formatter = TimestampFormatter(zone: .utc)
        return formatter.format(self)
    }
}

extension Int64 {
    /// Division rounding toward negative infinity.
    func floorDivided(by divisor: Int64) -> Int64 {
        let (q, r) = quotientAndRemainder(dividingBy: divisor)
        return r != 0 && (r < 0) != (divisor < 0) ? q - 1 : q
    }

    /// The remainder that goes with `floorDivided(by:)`: always in 0..<divisor.
    func floorModulo(_ divisor: Int64) -> Int64 {
        self - floorDivided(by: divisor) * divisor
    }
}

import Foundation

/// The report time zone (`--tz`): an IANA name that decides where days and
/// hours begin and which offset timestamps are written with.
public struct ReportTimeZone: Sendable, Hashable {
    public let identifier: String
    let zone: TimeZone

    public static let utc = ReportTimeZone(validIdentifier: "UTC")

    /// nil when the name is not a time zone this machine knows. Offsets
    /// written as names (`GMT+5`, `UTC+02:00`) are refused: Foundation reads
    /// them as east of UTC and PostgreSQL, POSIX-style, as west, so days
    /// would begin in different places on the two sides.
    public init?(identifier: String) {
        let upper = identifier.uppercased()
        guard !identifier.isEmpty, identifier.utf8.allSatisfy({ $0 > 32 && $0 < 127 }),
              !["GMT+", "GMT-", "UTC+", "UTC-"].contains(where: upper.hasPrefix),
              let zone = TimeZone(identifier: identifier) else { return nil }
        self.identifier = identifier
        self.zone = zone
    }

    /// `--tz`'s value, or a usage error (exit 64) that names it.
    public static func parse(_ text: String) throws(EngineError) -> ReportTimeZone {
        guard let zone = ReportTimeZone(identifier: text) else {
            throw .invalid(.timeZone, "'\(text.prefix(64))' is not a known IANA time zone (e.g. UTC, Europe/Berlin, America/New_York; for a fixed offset Etc/GMT-5 is UTC+5)")
        }
        return zone
    }

    private init(validIdentifier: String) {
        identifier = validIdentifier
        zone = TimeZone(identifier: validIdentifier)!
    }

    public static func == (lhs: ReportTimeZone, rhs: ReportTimeZone) -> Bool { lhs.identifier == rhs.identifier }
    public func hash(into hasher: inout Hasher) { hasher.combine(identifier) }

    /// Seconds east of UTC in force at the instant.
    func offsetSeconds(atUnixSeconds seconds: Int64) -> Int {
        zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    /// The next instant after `seconds` at which the offset changes, if any.
    func nextTransition(afterUnixSeconds seconds: Int64) -> Int64? {
        zone.nextDaylightSavingTimeTransition(after: Date(timeIntervalSince1970: TimeInterval(seconds)))
            .map { Int64($0.timeIntervalSince1970.rounded(.down)) }
    }

    /// The calendar date of the instant in this zone.
    public func localDate(of timestamp: Timestamp) -> CivilDate {
        let seconds = timestamp.unixSeconds
        let local = seconds + Int64(offsetSeconds(atUnixSeconds: seconds))
        return CivilDate(daysSinceUnixEpoch: local.floorDivided(by: 86_400))
    }

    /// The instant at which `date` begins in this zone (local midnight). When
    /// midnight does not exist (a DST gap), the first instant after the gap,
    /// as PostgreSQL reads such a local time.
    public func startOfDay(_ date: CivilDate) -> Timestamp {
        instant(ofLocalSeconds: date.daysSinceUnixEpoch * 86_400)
    }

    /// The instant whose wall-clock time here is `localSeconds` (seconds
    /// since 1970-01-01 00:00 local). An ambiguous time (the repeated hour)
    /// takes the earlier offset, a missing one the offset before the gap.
    func instant(ofLocalSeconds localSeconds: Int64) -> Timestamp {
        // Try the offsets in force around that wall-clock time, one day
        // either side; keep a candidate that maps back to it.
        let before = offsetSeconds(atUnixSeconds: localSeconds - 86_400)
        let after = offsetSeconds(atUnixSeconds: localSeconds + 86_400)
        for offset in [max(before, after), min(before, after)] {
            let candidate = localSeconds - Int64(offset)
            if offsetSeconds(atUnixSeconds: candidate) == offset {
                return Timestamp(unixMicroseconds: candidate * Timestamp.microsecondsPerSecond)
            }
        }
        // In a gap: read the wall-clock time with the offset before the gap.
        return Timestamp(unixMicroseconds: (localSeconds - Int64(before)) * Timestamp.microsecondsPerSecond)
    }
}

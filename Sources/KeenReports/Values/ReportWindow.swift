/// The half-open window `[from, to)` a report covers, and the time zone its
/// days and hours are counted in.
public struct ReportWindow: Sendable, Hashable {
    public let from: Timestamp
    public let to: Timestamp
    public let zone: ReportTimeZone

    public init(from: Timestamp, to: Timestamp, zone: ReportTimeZone) throws(EngineError) {
        guard to > from else {
            throw .invalid(.windowEnd, "must be after the window's start (got from \(from.utcText), to \(to.utcText))")
        }
        self.from = from
        self.to = to
        self.zone = zone
    }

    /// Parses the window's start and end as the spec reads them.
    public init(from fromText: String, to toText: String, zone: ReportTimeZone) throws(EngineError) {
        try self.init(from: try Self.instant(fromText, zone: zone, subject: .windowStart),
                      to: try Self.instant(toText, zone: zone, subject: .windowEnd),
                      zone: zone)
    }

    /// The window covering whole local days `first...last`.
    public init(days first: CivilDate, through last: CivilDate, zone: ReportTimeZone) throws(EngineError) {
        try self.init(from: zone.startOfDay(first), to: zone.startOfDay(last.adding(days: 1)), zone: zone)
    }

    /// A bare date (`2026-11-26`) is local midnight in `zone`; an RFC 3339
    /// timestamp with an offset (`2026-11-26T13:00:00Z`,
    /// `2026-11-26T08:00:00.5-05:00`) is that instant; one without an offset
    /// is a wall-clock time in `zone`.
    public static func instant(_ text: String, zone: ReportTimeZone, subject: EngineError.Subject = .windowStart) throws(EngineError) -> Timestamp {
        if let date = CivilDate(text) { return zone.startOfDay(date) }
        if let instant = RFC3339.parse(text, zone: zone) { return instant }
        throw .invalid(subject, "'\(text.prefix(64))' is not a date (YYYY-MM-DD) or an RFC 3339 timestamp (2026-11-26T13:00:00Z)")
    }
}

/// Parses RFC 3339 timestamps: `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`.
/// A space may stand for the `T`; a missing offset means wall-clock time in
/// the given zone.
enum RFC3339 {
    static func parse(_ text: String, zone: ReportTimeZone) -> Timestamp? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 19, let date = CivilDate(String(decoding: bytes[0..<10], as: UTF8.self)),
              bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t") || bytes[10] == UInt8(ascii: " "),
              bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
              let hour = digits(bytes, 11, 2), let minute = digits(bytes, 14, 2), let second = digits(bytes, 17, 2),
              hour < 24, minute < 60, second < 60 else { return nil }
        var index = 19
        var micros: Int64 = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            var places = 0
            while index < bytes.count, let digit = digits(bytes, index, 1) {
                guard places < 6 else { return nil }  // finer than PostgreSQL keeps
                micros = micros * 10 + Int64(digit)
                places += 1
                index += 1
            }
            guard places > 0 else { return nil }
            for _ in places..<6 { micros *= 10 }
        }
        let localSeconds = date.daysSinceUnixEpoch * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        if index == bytes.count {
            return zone.instant(ofLocalSeconds: localSeconds).adding(microseconds: micros)
        }
        var offset: Int64
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            guard index + 1 == bytes.count else { return nil }
            offset = 0
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard index + 6 == bytes.count, bytes[index + 3] == UInt8(ascii: ":"),
                  let hours = digits(bytes, index + 1, 2), let minutes = digits(bytes, index + 4, 2),
                  hours < 24, minutes < 60 else { return nil }
            offset = Int64(hours * 3600 + minutes * 60)
            if bytes[index] == UInt8(ascii: "-") { offset = -offset }
        default:
            return nil
        }
        return Timestamp(unixMicroseconds: (localSeconds - offset) * Timestamp.microsecondsPerSecond + micros)
    }

    private static func digits(_ bytes: [UInt8], _ start: Int, _ count: Int) -> Int? {
        guard start + count <= bytes.count else { return nil }
        var value = 0
        for byte in bytes[start..<(start + count)] {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }
}

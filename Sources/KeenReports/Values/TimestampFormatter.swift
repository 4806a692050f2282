/// Writes instants as REPORTS.md says: RFC 3339 in the report time zone with
/// its offset, `Z` for a zero offset, a six-digit fraction only when the
/// microseconds are not zero.
///
/// It remembers the offset of the last instant and until when it holds, so a
/// stream of nearby instants asks the time zone database once per offset
/// change rather than once per value.
public struct TimestampFormatter {
    public let zone: ReportTimeZone
    private var cachedFrom: Int64 = .max
    private var cachedUntil: Int64 = .min
    private var cachedOffset = 0

    public init(zone: ReportTimeZone) {
        self.zone = zone
    }

    /// Seconds east of UTC at the instant.
    public mutating func offsetSeconds(at timestamp: Timestamp) -> Int {
        let seconds = timestamp.unixSeconds
        if seconds >= cachedFrom && seconds < cachedUntil { return cachedOffset }
        cachedOffset = zone.offsetSeconds(atUnixSeconds: seconds)
        cachedFrom = seconds
        cachedUntil = zone.nextTransition(afterUnixSeconds: seconds) ?? .max
        return cachedOffset
    }

    public mutating func localDate(of timestamp: Timestamp) -> CivilDate {
        let local = timestamp.unixSeconds + Int64(offsetSeconds(at: timestamp))
        return CivilDate(daysSinceUnixEpoch: local.floorDivided(by: 86_400))
    }

    public mutating func format(_ timestamp: Timestamp) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        append(timestamp, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the RFC 3339 text of the instant to `output`.
    public mutating func append(_ timestamp: Timestamp, to output: inout [UInt8]) {
        let offset = offsetSeconds(at: timestamp)
        let localMicros = timestamp.unixMicroseconds + Int64(offset) * Timestamp.microsecondsPerSecond
        let microsPerDay: Int64 = 86_400 * Timestamp.microsecondsPerSecond
        CivilDate(daysSinceUnixEpoch: localMicros.floorDivided(by: microsPerDay)).append(to: &output)
        let ofDay = localMicros.floorModulo(microsPerDay)
        let seconds = Int(ofDay / Timestamp.microsecondsPerSecond)
        let fraction = Int(ofDay % Timestamp.microsecondsPerSecond)
        output.append(UInt8(ascii: "T"))
        ByteText.appendPadded(seconds / 3600, width: 2, to: &output)
        output.append(UInt8(ascii: ":"))
        ByteText.appendPadded(seconds / 60 % 60, width: 2, to: &output)
        output.append(UInt8(ascii: ":"))
        ByteText.appendPadded(seconds % 60, width: 2, to: &output)
        if fraction != 0 {
            output.append(UInt8(ascii: "."))
            ByteText.appendPadded(fraction, width: 6, to: &output)
        }
        if offset == 0 {
            output.append(UInt8(ascii: "Z"))
        } else {
            output.append(offset < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
            let minutes = abs(offset) / 60
            ByteText.appendPadded(minutes / 60, width: 2, to: &output)
            output.append(UInt8(ascii: ":"))
            ByteText.appendPadded(minutes % 60, width: 2, to: &output)
        }
    }
}

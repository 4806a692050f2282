import Foundation

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

    /// The wall clock in the zone at the instant: its date and the
    /// microseconds since that date's midnight.
    public mutating func wallClock(of timestamp: Timestamp) -> (date: CivilDate, microsecondOfDay: Int64) {
        let localMicros = timestamp.unixMicroseconds + Int64(offsetSeconds(at: timestamp)) * Timestamp.microsecondsPerSecond
        let microsPerDay: Int64 = 86_400 * Timestamp.microsecondsPerSecond
        return (CivilDate(daysSinceUnixEpoch: localMicros.floorDivided(by: microsPerDay)), localMicros.floorModulo(microsPerDay))
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
        let (date, ofDay) = wallClock(of: timestamp)
        let seconds = Int(ofDay / Timestamp.microsecondsPerSecond)
        let fraction = Int(ofDay % Timestamp.microsecondsPerSecond)
        guard (1...9999).contains(date.year) else {
            // Outside four-digit years: the slow, general path.
            date.append(to: &output)
            output.append(contentsOf: Array(String(format: "T%02d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60).utf8))
            if fraction != 0 { output.append(UInt8(ascii: ".")); ByteText.appendPadded(fraction, width: 6, to: &output) }
            appendOffset(offset, to: &output)
            return
        }
        // YYYY-MM-DDTHH:MM:SS[.ffffff](Z|±HH:MM): at most 32 bytes.
        ByteText.appendBuilt(capacity: 32, to: &output) { buffer in
            func put(_ value: Int, _ width: Int, at start: Int) {
                var rest = value
                for index in stride(from: start + width - 1, through: start, by: -1) {
                    buffer[index] = ByteText.digit(rest % 10)
                    rest /= 10
                }
            }
            put(date.year, 4, at: 0); buffer[4] = UInt8(ascii: "-")
            put(date.month, 2, at: 5); buffer[7] = UInt8(ascii: "-")
            put(date.day, 2, at: 8); buffer[10] = UInt8(ascii: "T")
            put(seconds / 3600, 2, at: 11); buffer[13] = UInt8(ascii: ":")
            put(seconds / 60 % 60, 2, at: 14); buffer[16] = UInt8(ascii: ":")
            put(seconds % 60, 2, at: 17)
            var position = 19
            if fraction != 0 {
                buffer[position] = UInt8(ascii: ".")
                put(fraction, 6, at: position + 1)
                position += 7
            }
            if offset == 0 {
                buffer[position] = UInt8(ascii: "Z")
                return position + 1
            }
            let minutes = abs(offset) / 60
            buffer[position] = offset < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+")
            put(minutes / 60, 2, at: position + 1)
            buffer[position + 3] = UInt8(ascii: ":")
            put(minutes % 60, 2, at: position + 4)
            return position + 6
        }
    }

    private func appendOffset(_ offset: Int, to output: inout [UInt8]) {
        if offset == 0 { output.append(UInt8(ascii: "Z")); return }
        output.append(offset < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
        let minutes = abs(offset) / 60
        ByteText.appendPadded(minutes / 60, width: 2, to: &output)
        output.append(UInt8(ascii: ":"))
        ByteText.appendPadded(minutes % 60, width: 2, to: &output)
    }
}

import Testing
@testable import KeenReports

@Suite struct TimeTests {
    let newYork = ReportTimeZone(identifier: "America/New_York")!
    let berlin = ReportTimeZone(identifier: "Europe/Berlin")!

    private func instant(_ text: String, _ zone: ReportTimeZone = .utc) throws -> Timestamp {
        try ReportWindow.instant(text, zone: zone)
    }

    private func write(_ timestamp: Timestamp, _ zone: ReportTimeZone) -> String {
        var formatter = TimestampFormatter(zone: zone)
        return formatter.format(timestamp)
    }

    @Test func writesRFC3339WithTheZonesOffset() throws {
        let noon = try instant("2026-11-26T13:00:00Z")
        #expect(write(noon, .utc) == "2026-11-26T13:00:00Z")
        #expect(write(noon, newYork) == "2026-11-26T08:00:00-05:00")
        #expect(write(noon, berlin) == "2026-11-26T14:00:00+01:00")
        let fraction = try instant("2026-11-03T04:59:59.999999Z")
        #expect(write(fraction, newYork) == "2026-11-02T23:59:59.999999-05:00")
        #expect(write(try instant("2026-11-03T04:59:59.5Z"), .utc) == "2026-11-03T04:59:59.500000Z")
        #expect(write(try instant("1999-12-31T23:59:59.000001Z"), .utc) == "1999-12-31T23:59:59.000001Z")
    }

    @Test func bareDatesAreLocalMidnight() throws {
        #expect(try instant("2026-11-01", newYork) == instant("2026-11-01T04:00:00Z"))
        #expect(try instant("2026-11-02", newYork) == instant("2026-11-02T05:00:00Z"))
        #expect(try instant("2026-03-29", berlin) == instant("2026-03-28T23:00:00Z"))
        // A wall-clock time without an offset is read in the report zone.
        #expect(try instant("2026-11-01T12:00:00", newYork) == instant("2026-11-01T17:00:00Z"))
    }

    @Test func theDSTChangeDayHas25Hours() throws {
        let window = try ReportWindow(from: "2026-11-01", to: "2026-11-02", zone: newYork)
        #expect(window.to.unixSeconds - window.from.unixSeconds == 25 * 3600)
        // The repeated 01:00 hour is written with both offsets.
        #expect(write(try instant("2026-11-01T05:30:00Z"), newYork) == "2026-11-01T01:30:00-04:00")
        #expect(write(try instant("2026-11-01T06:30:00Z"), newYork) == "2026-11-01T01:30:00-05:00")
    }

    @Test func localDatesFollowTheZone() throws {
        var formatter = TimestampFormatter(zone: newYork)
        #expect(formatter.localDate(of: try instant("2026-11-02T04:59:59Z")).description == "2026-11-01")
        #expect(formatter.localDate(of: try instant("2026-11-02T05:00:00Z")).description == "2026-11-02")
        #expect(newYork.localDate(of: try instant("2026-11-01T03:59:59Z")).description == "2026-10-31")
    }

    @Test(arguments: ["2026-13-01", "2026-02-30", "26-11-01", "2026-11-01T25:00:00Z", "2026-11-01T10:00:00+5",
                      "yesterday", "", "2026-11-01T10:00:00.1234567Z", "2026-11-01T10:00:00Zjunk"])
    func rejectsWhatIsNotADateOrTimestamp(text: String) {
        #expect(throws: EngineError.self) { try instant(text) }
    }

    @Test func rejectsAnEmptyOrBackwardWindow() {
        #expect(throws: EngineError.self) { try ReportWindow(from: "2026-11-02", to: "2026-11-01", zone: .utc) }
        #expect(throws: EngineError.self) { try ReportWindow(from: "2026-11-02", to: "2026-11-02", zone: .utc) }
    }

    @Test func civilDatesRoundTrip() throws {
        for days in stride(from: Int64(-600_000), through: 2_900_000, by: 997) {
            let date = CivilDate(daysSinceUnixEpoch: days)
            #expect(date.daysSinceUnixEpoch == days)
            #expect(CivilDate(date.description) == date)
        }
        #expect(CivilDate("2024-02-29") != nil)
        #expect(CivilDate("2026-02-29") == nil)
    }

    @Test func knowsTimeZoneNames() {
        #expect(ReportTimeZone(identifier: "Europe/Berlin") != nil)
        #expect(ReportTimeZone(identifier: "Mars/Olympus_Mons") == nil)
        #expect(ReportTimeZone(identifier: "") == nil)
        #expect(ReportTimeZone(identifier: "UTC'; DROP TABLE users; --") == nil)
        // Offsets as names mean opposite things to Foundation and PostgreSQL.
        for name in ["GMT+5", "UTC+02:00", "gmt-3"] { #expect(ReportTimeZone(identifier: name) == nil, "\(name)") }
        #expect(ReportTimeZone(identifier: "Etc/GMT-5") != nil)
    }
}

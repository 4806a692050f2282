import Testing
@testable import KeenReports

@Suite struct DashboardMetricsTests {
    /// The spec in SQL: a generate_series of hours joined to the sessions by
    /// range, rather than the engine's hour index.
    static func expected(_ window: ReportWindowCase, userID: String? = nil) throws -> [[String?]] {
        try TestEnvironment.query("""
            WITH hours AS (
                SELECT h FROM generate_series($1::timestamptz, $2::timestamptz - interval '1 microsecond', interval '1 hour') AS h
            )
            SELECT \(TestEnvironment.rfc3339("hours.h")),
                   count(s.id)::text,
                   count(s.id) FILTER (WHERE s.success)::text,
                   count(s.id) FILTER (WHERE s.current_phase = 'EXPLORE')::text,
                   count(s.id) FILTER (WHERE s.current_phase = 'PLAN')::text,
                   count(s.id) FILTER (WHERE s.current_phase = 'FOUND')::text,
                   count(s.id) FILTER (WHERE s.current_phase = 'SUMMON')::text,
                   count(s.id) FILTER (WHERE s.current_phase = 'COMPLETE')::text,
                   round(avg(s.total_cost), 6)::text,
                   coalesce(sum(s.tokens_used), 0)::text
            FROM hours
            LEFT JOIN agent_sessions s
                   ON s.start_time >= hours.h AND s.start_time < least(hours.h + interval '1 hour', $2::timestamptz)
                  AND ($3::uuid IS NULL OR s.user_id = $3::uuid)
            GROUP BY hours.h
            ORDER BY hours.h
            """, [window.fromUTC, window.toUTC, userID], timeZone: window.tz)
    }

    @Test(arguments: ReportWindowCase.all)
    func matchesTheSpecInSQL(window: ReportWindowCase) throws {
        let directory = try TestEnvironment.run(["dashboard_metrics"], from: window.from, to: window.to, tz: window.tz)
        let rows = try TestEnvironment.csv(directory + "/dashboard_metrics.csv")
        let expected = try Self.expected(window)
        #expect(expected.contains { $0[1] == "0" }, "the window has empty hours")
        expectSameRows(Array(rows.dropFirst()), expected, "dashboard_metrics \(window.tz)")
    }

    @Test func theDSTDayHas25HourRows() throws {
        let directory = try TestEnvironment.run(["dashboard_metrics"], from: "2026-11-01", to: "2026-11-02", tz: "America/New_York")
        let rows = try TestEnvironment.csv(directory + "/dashboard_metrics.csv").dropFirst()
        #expect(rows.count == 25)
        #expect(rows.map { $0[0] }.filter { $0.hasPrefix("2026-11-01T01:00:00") } == ["2026-11-01T01:00:00-04:00", "2026-11-01T01:00:00-05:00"])
    }

    @Test func aWindowThatIsNotWholeHoursEndsWithAShortHour() throws {
        let window = ReportWindowCase(from: "2026-11-05T10:15:00Z", to: "2026-11-05T13:00:00Z", tz: "UTC",
                                      fromUTC: "2026-11-05T10:15:00Z", toUTC: "2026-11-05T13:00:00Z")
        let directory = try TestEnvironment.run(["dashboard_metrics"], from: window.from, to: window.to)
        let rows = try TestEnvironment.csv(directory + "/dashboard_metrics.csv").dropFirst()
        #expect(rows.map { $0[0] } == ["2026-11-05T10:15:00Z", "2026-11-05T11:15:00Z", "2026-11-05T12:15:00Z"])
        expectSameRows(Array(rows), try Self.expected(window), "dashboard_metrics short hours")
    }
}

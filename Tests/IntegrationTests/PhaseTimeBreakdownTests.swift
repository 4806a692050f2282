import Testing
@testable import KeenReports

@Suite struct PhaseTimeBreakdownTests {
    static func expected(_ window: ReportWindowCase) throws -> [[String?]] {
        try TestEnvironment.query("""
            SELECT p.phase,
                   count(t.id)::text,
                   count(DISTINCT t.session_id)::text,
                   coalesce(sum(t.duration_ms), 0)::text,
                   round(avg(t.duration_ms), 3)::text,
                   round(percentile_cont(0.5) WITHIN GROUP (ORDER BY t.duration_ms)::numeric, 3)::text,
                   round(percentile_cont(0.95) WITHIN GROUP (ORDER BY t.duration_ms)::numeric, 3)::text,
                   max(t.duration_ms)::text
            FROM unnest(ARRAY['EXPLORE', 'PLAN', 'FOUND', 'SUMMON', 'COMPLETE']) WITH ORDINALITY AS p(phase, n)
            LEFT JOIN phase_transitions t
                   ON t.from_phase = p.phase
                  AND t.transition_timestamp >= $1::timestamptz AND t.transition_timestamp < $2::timestamptz
            GROUP BY p.phase, p.n
            ORDER BY p.n
            """, [window.fromUTC, window.toUTC])
    }

    @Test(arguments: ReportWindowCase.all)
    func matchesTheSpecInSQL(window: ReportWindowCase) throws {
        let directory = try TestEnvironment.run(["phase_time_breakdown"], from: window.from, to: window.to, tz: window.tz)
        let rows = try TestEnvironment.csv(directory + "/phase_time_breakdown.csv")
        expectSameRows(Array(rows.dropFirst()), try Self.expected(window), "phase_time_breakdown \(window.tz)")
    }

    @Test func totalsPass2To31AndNullDurationsAreLeftOutOfTheAverage() throws {
        let window = ReportWindowCase.all[0]
        let nulls = try TestEnvironment.query("""
            SELECT count(*) FROM phase_transitions
            WHERE duration_ms IS NULL AND transition_timestamp >= $1::timestamptz AND transition_timestamp < $2::timestamptz
            """, [window.fromUTC, window.toUTC])
        #expect(Int(nulls[0][0]!)! > 0, "the window has NULL durations")
        let directory = try TestEnvironment.run(["phase_time_breakdown"], from: window.from, to: window.to)
        let rows = try TestEnvironment.csv(directory + "/phase_time_breakdown.csv").dropFirst()
        #expect(rows.contains { Int64($0[3])! > Int64(Int32.max) }, "a total_ms beyond 2^31")
        #expect(rows.last == ["COMPLETE", "0", "0", "0", "", "", "", ""], "an empty phase still has its row")
    }
}

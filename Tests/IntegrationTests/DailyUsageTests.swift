import Testing
@testable import KeenReports

@Suite struct DailyUsageTests {
    /// The spec in SQL, by another route than the engine's query: each
    /// (user, day) key found by converting event times, then every figure
    /// read with a range predicate on that local day's bounds.
    static func expected(_ window: ReportWindowCase, userID: String? = nil) throws -> [[String?]] {
        let inDay = { (column: String) in
            "\(column) >= greatest(k.day_start, $1::timestamptz) AND \(column) < least(k.day_end, $2::timestamptz)"
        }
        return try TestEnvironment.query("""
            WITH events AS (
                SELECT user_id, start_time AS ts FROM agent_sessions
                UNION ALL SELECT user_id, execution_timestamp FROM tool_executions
                UNION ALL SELECT user_id, transition_timestamp FROM phase_transitions
                UNION ALL SELECT user_id, operation_timestamp FROM git_operations
            ),
            keys AS (
                SELECT DISTINCT user_id, to_char(ts AT TIME ZONE $4, 'YYYY-MM-DD') AS day
                FROM events
                WHERE ts >= $1::timestamptz AND ts < $2::timestamptz AND ($3::uuid IS NULL OR user_id = $3::uuid)
            ),
            k AS (
                SELECT user_id, day, (day::date::timestamp AT TIME ZONE $4) AS day_start,
                       ((day::date + 1)::timestamp AT TIME ZONE $4) AS day_end
                FROM keys
            )
            SELECT k.day, k.user_id::text, \(TestEnvironment.guarded("u.username::text")),
                   (SELECT count(*) FROM agent_sessions s WHERE s.user_id = k.user_id AND \(inDay("s.start_time")))::text,
                   (SELECT count(*) FROM agent_sessions s WHERE s.user_id = k.user_id AND \(inDay("s.start_time")) AND s.execution_status = 'completed')::text,
                   (SELECT count(*) FROM agent_sessions s WHERE s.user_id = k.user_id AND \(inDay("s.start_time")) AND s.execution_status = 'failed')::text,
                   (SELECT coalesce(floor(sum(extract(epoch FROM s.end_time - s.start_time))), 0) FROM agent_sessions s
                    WHERE s.user_id = k.user_id AND \(inDay("s.start_time")) AND s.end_time IS NOT NULL)::text,
                   \(["EXPLORE", "PLAN", "FOUND", "SUMMON", "COMPLETE"].map { phase in
                       "(SELECT coalesce(sum(p.duration_ms), 0) / 1000 FROM phase_transitions p WHERE p.user_id = k.user_id AND \(inDay("p.transition_timestamp")) AND p.from_phase = '\(phase)')::text"
                   }.joined(separator: ",\n"))
                   ,
                   (SELECT count(*) FROM agent_sessions s WHERE s.user_id = k.user_id AND \(inDay("s.start_time")) AND s.parent_session_id IS NOT NULL)::text,
                   (SELECT coalesce(max(s.session_depth), 0) FROM agent_sessions s WHERE s.user_id = k.user_id AND \(inDay("s.start_time")))::text,
                   (SELECT count(*) FROM tool_executions e WHERE e.user_id = k.user_id AND \(inDay("e.execution_timestamp")))::text,
                   \(TestEnvironment.guarded("""
                   coalesce((SELECT string_agg(n, ';' ORDER BY n COLLATE "C") FROM (SELECT DISTINCT e.tool_name::text AS n FROM tool_executions e
                              WHERE e.user_id = k.user_id AND \(inDay("e.execution_timestamp"))) names), '')
                   """)),
                   (SELECT coalesce(sum(s.tokens_used), 0) FROM agent_sessions s WHERE s.user_id = k.user_id AND \(inDay("s.start_time")))::text,
                   (SELECT round(coalesce(sum(s.total_cost), 0), 6) FROM agent_sessions s WHERE s.user_id = k.user_id AND \(inDay("s.start_time")))::text,
                   (SELECT coalesce(sum(coalesce(array_length(s.files_modified, 1), 0)), 0) FROM agent_sessions s WHERE s.user_id = k.user_id AND \(inDay("s.start_time")))::text,
                   (SELECT coalesce(sum(coalesce(array_length(s.files_created, 1), 0)), 0) FROM agent_sessions s WHERE s.user_id = k.user_id AND \(inDay("s.start_time")))::text,
                   (SELECT count(*) FROM git_operations g WHERE g.user_id = k.user_id AND \(inDay("g.operation_timestamp")))::text
            FROM k JOIN users u ON u.id = k.user_id
            ORDER BY k.day, u.username COLLATE "C"
            """, [window.fromUTC, window.toUTC, userID, window.tz])
    }

    @Test(arguments: ReportWindowCase.all)
    func matchesTheSpecInSQL(window: ReportWindowCase) throws {
        let directory = try TestEnvironment.run(["daily_usage"], from: window.from, to: window.to, tz: window.tz)
        let rows = try TestEnvironment.csv(directory + "/daily_usage.csv")
        #expect(rows.first?.count == 21)
        let expected = try Self.expected(window)
        #expect(expected.count > 20)
        expectSameRows(Array(rows.dropFirst()), expected, "daily_usage \(window.tz)")
    }

    @Test func restrictsToOneUser() throws {
        let window = ReportWindowCase.all[1]
        let user = try #require(try TestEnvironment.query("SELECT id::text FROM users WHERE username LIKE '=%' ORDER BY username LIMIT 1")[0][0])
        let directory = try TestEnvironment.run(["daily_usage"], from: window.from, to: window.to, tz: window.tz, userID: user)
        let rows = try TestEnvironment.csv(directory + "/daily_usage.csv").dropFirst()
        #expect(!rows.isEmpty && rows.allSatisfy { $0[1] == user && $0[2].hasPrefix("'=") })
        expectSameRows(Array(rows), try Self.expected(window, userID: user), "daily_usage for one user")
    }
}

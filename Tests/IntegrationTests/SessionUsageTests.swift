import Testing
@testable import KeenReports

@Suite struct SessionUsageTests {
    static func expected(_ window: ReportWindowCase, userID: String? = nil) throws -> [[String?]] {
        try TestEnvironment.query("""
            SELECT s.id::text, \(TestEnvironment.guarded("s.session_id::text")), s.user_id::text, \(TestEnvironment.guarded("u.username::text")),
                   s.parent_session_id::text, s.session_depth::text,
                   \(TestEnvironment.rfc3339("s.start_time")), \(TestEnvironment.rfc3339("s.end_time")),
                   s.execution_status::text, s.current_phase::text, s.iteration_count::text, s.tool_calls_count::text,
                   s.tokens_used::text, round(s.total_cost, 6)::text,
                   coalesce(array_length(s.files_modified, 1), 0)::text, coalesce(array_length(s.files_created, 1), 0)::text
            FROM agent_sessions s JOIN users u ON u.id = s.user_id
            WHERE s.start_time >= $1::timestamptz AND s.start_time < $2::timestamptz AND ($3::uuid IS NULL OR s.user_id = $3::uuid)
            ORDER BY s.start_time, s.id
            """, [window.fromUTC, window.toUTC, userID], timeZone: window.tz)
    }

    @Test(arguments: ReportWindowCase.all)
    func matchesTheSpecInSQL(window: ReportWindowCase) throws {
        let directory = try TestEnvironment.run(["session_usage"], from: window.from, to: window.to, tz: window.tz)
        let rows = try TestEnvironment.csv(directory + "/session_usage.csv")
        #expect(rows.first == ["id", "session_id", "user_id", "username", "parent_id", "session_depth", "start_time", "end_time",
                               "execution_status", "current_phase", "iteration_count", "tool_calls_count", "tokens_used",
                               "total_cost", "files_modified", "files_created"])
        let expected = try Self.expected(window)
        #expect(expected.contains { $0[7] == nil }, "sessions with no end time")
        expectSameRows(Array(rows.dropFirst()), expected, "session_usage \(window.tz)")
    }
}

/// `run --jobs N`: the scan split over N connections on one snapshot gives
/// the same bytes as one connection.
@Suite struct SplitScanTests {
    @Test(arguments: [2, 3, 7])
    func aSplitRunWritesTheSameFiles(jobs: Int) throws {
        let catalog = try TestEnvironment.catalog()
        let window = ReportWindowCase.all[1]
        let zone = try #require(ReportTimeZone(identifier: window.tz))
        let parameters = try ReportParameters(window: ReportWindow(from: "2026-10-20", to: "2026-12-01", zone: zone))
        var directories: [String] = []
        for connections in [1, jobs] {
            let directory = try TestEnvironment.temporaryDirectory()
            _ = try ReportRunner(catalog: catalog).run([try catalog.report(named: "session_usage")], parameters: parameters,
                                                       connection: TestEnvironment.settings(),
                                                       output: OutputOptions(directory: directory), jobs: connections)
            directories.append(directory)
        }
        let single = try String(contentsOfFile: directories[0] + "/session_usage.csv", encoding: .utf8)
        #expect(single.split(separator: "\n").count > 5000)
        #expect(try String(contentsOfFile: directories[1] + "/session_usage.csv", encoding: .utf8) == single)
        let json = { (directory: String) in
            try String(contentsOfFile: directory + "/session_usage.json", encoding: .utf8)
                .split(separator: "\n").filter { !$0.contains("generated_at") }
        }
        #expect(try json(directories[1]) == json(directories[0]))
    }
}

import Foundation
import Testing
@testable import KeenReports

/// `keen-reports rollup` on a copy of the generated data (WRITES.md):
/// daily_usage_stats equals the daily_usage report, cell by cell.
@Suite(.serialized) struct RollupTests {
    static var adminURL: String { get throws { try ReconciliationTests.environment("KEEN_TEST_ROLLUP_URL") } }

    /// A role that may read what reports read and change daily_usage_stats only.
    static let roller = [
        "CREATE ROLE keen_rollup LOGIN BYPASSRLS",
        "GRANT SELECT ON users, agent_sessions, phase_transitions, tool_executions, git_operations, daily_usage_stats TO keen_rollup",
        "GRANT INSERT, UPDATE, DELETE ON daily_usage_stats TO keen_rollup",
    ]
    static let withoutDelete = [
        "CREATE ROLE keen_rollup_nodelete LOGIN BYPASSRLS",
        "GRANT SELECT ON users, agent_sessions, phase_transitions, tool_executions, git_operations, daily_usage_stats TO keen_rollup_nodelete",
        "GRANT INSERT, UPDATE ON daily_usage_stats TO keen_rollup_nodelete",
    ]

    static func rollup(_ arguments: [String], role: [String] = roller) throws -> CommandResult {
        try runKeenReports(["rollup"] + arguments, environment: ["KEEN_DATABASE_URL": try DatabaseRoles.create(role, in: adminURL)])
    }

    /// daily_usage_stats for the days, as the report's CSV writes them.
    static func table(_ from: String, _ to: String) throws -> [[String?]] {
        try TestEnvironment.query("""
            SELECT d.date_bucket::text, d.user_id::text, u.username, d.sessions_started::text, d.sessions_completed::text,
                   d.sessions_failed::text, d.total_session_time_seconds::text, d.explore_phase_time_seconds::text,
                   d.plan_phase_time_seconds::text, d.found_phase_time_seconds::text, d.summon_phase_time_seconds::text,
                   d.complete_phase_time_seconds::text, d.agents_spawned::text, d.max_recursion_depth::text,
                   d.tool_executions::text, array_to_string(d.unique_tools_used, ';'), d.total_tokens_consumed::text,
                   d.total_cost::text, d.files_modified::text, d.files_created::text, d.git_operations::text
            FROM daily_usage_stats d JOIN users u ON u.id = d.user_id
            WHERE d.date_bucket BETWEEN $1::date AND $2::date
            ORDER BY d.date_bucket, u.username COLLATE "C"
            """, [from, to], url: adminURL)
    }

    /// The daily_usage report over the same days, without the formula guard.
    static func report(_ from: String, _ to: String, zone: String) throws -> [[String]] {
        let directory = try TestEnvironment.temporaryDirectory()
        let parameters = try ReportParameters(window: ReportWindow(days: #require(CivilDate(from)), through: #require(CivilDate(to)),
                                                                   zone: #require(ReportTimeZone(identifier: zone))))
        let catalog = try TestEnvironment.catalog()
        _ = try ReportRunner(catalog: catalog).run([catalog.report(named: "daily_usage")], parameters: parameters,
                                                   connection: ConnectionSettings(conninfo: adminURL),
                                                   output: OutputOptions(directory: directory, formats: [.csv], formulaGuard: false))
        return try TestEnvironment.csv(directory + "/daily_usage.csv")
    }

    static func digest(_ day: String) throws -> String? {
        try TestEnvironment.query("SELECT md5(string_agg(d::text, ',' ORDER BY d.user_id)) FROM daily_usage_stats d WHERE date_bucket = $1::date",
                                  [day], url: adminURL)[0][0]
    }

    @Test(arguments: ["UTC", "America/New_York"])
    func theTableEqualsTheReportAndARerunChangesNothing(zone: String) throws {
        let result = try Self.rollup(["--from-date", "2026-10-30", "--to-date", "2026-11-02", "--tz", zone])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try Self.report("2026-10-30", "2026-11-02", zone: zone)
        #expect(report.count > 20)
        expectSameRows(Array(report.dropFirst()), try Self.table("2026-10-30", "2026-11-02"), "daily_usage_stats in \(zone)")

        let digests = try ["2026-10-30", "2026-10-31", "2026-11-01", "2026-11-02"].map(Self.digest)
        let again = try Self.rollup(["--from-date", "2026-10-30", "--to-date", "2026-11-02", "--tz", zone])
        #expect(again.status == 0)
        #expect(again.stdout.split(separator: "\n").allSatisfy { $0.hasSuffix("inserted 0, updated 0, deleted 0") }, "\(again.stdout)")
        #expect(try ["2026-10-30", "2026-10-31", "2026-11-01", "2026-11-02"].map(Self.digest) == digests, "created_at and all kept")

        let dry = try Self.rollup(["--date", "2026-11-01", "--tz", zone, "--dry-run"])
        #expect(dry.stdout.contains("2026-11-01: would insert 0, update 0, delete 0"), "\(dry.stdout)")
    }

    @Test func aUserWithNoActivityLeftLosesTheirRowAndOverflowFailsTheDay() throws {
        #expect(try Self.rollup(["--date", "2026-11-05"]).status == 0)
        let user = try #require(try TestEnvironment.query(
            "SELECT user_id::text FROM daily_usage_stats WHERE date_bucket = '2026-11-05' ORDER BY user_id LIMIT 1", url: Self.adminURL).first?[0])
        let dayFilter = "user_id = $1 AND %@ >= '2026-11-05Z' AND %@ < '2026-11-06Z'"
        for (table, column) in [("tool_executions", "execution_timestamp"), ("phase_transitions", "transition_timestamp"),
                                ("git_operations", "operation_timestamp")] {
            _ = try TestEnvironment.query("DELETE FROM \(table) WHERE " + String(format: dayFilter, column, column), [user], url: Self.adminURL)
        }
        _ = try TestEnvironment.query("""
            DELETE FROM credit_transactions WHERE session_id IN (SELECT id FROM agent_sessions WHERE \(String(format: dayFilter, "start_time", "start_time")));
            """, [user], url: Self.adminURL)
        _ = try TestEnvironment.query("""
            UPDATE agent_sessions SET parent_session_id = NULL WHERE parent_session_id IN
              (SELECT id FROM agent_sessions WHERE \(String(format: dayFilter, "start_time", "start_time")))
            """, [user], url: Self.adminURL)
        for table in ["tool_executions", "phase_transitions", "git_operations"] {
            _ = try TestEnvironment.query("""
                DELETE FROM \(table) WHERE session_id IN (SELECT id FROM agent_sessions WHERE \(String(format: dayFilter, "start_time", "start_time")))
                """, [user], url: Self.adminURL)
        }
        _ = try TestEnvironment.query("DELETE FROM agent_sessions WHERE " + String(format: dayFilter, "start_time", "start_time"), [user], url: Self.adminURL)
        let result = try Self.rollup(["--date", "2026-11-05"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("deleted 1"), "\(result.stdout)")
        #expect(try TestEnvironment.count("SELECT count(*) FROM daily_usage_stats WHERE date_bucket = '2026-11-05' AND user_id = '\(user)'",
                                          url: Self.adminURL) == 0)
        expectSameRows(Array(try Self.report("2026-11-05", "2026-11-05", zone: "UTC").dropFirst()), try Self.table("2026-11-05", "2026-11-05"),
                       "after the deletion")

        // Tokens past 2^31 - 1 for one user and day: the day fails whole, and is never clipped.
        let before = try Self.digest("2026-11-05")
        let session = try #require(try TestEnvironment.query(
            "SELECT id::text, user_id::text FROM agent_sessions WHERE start_time >= '2026-11-05Z' AND start_time < '2026-11-06Z' LIMIT 2",
            url: Self.adminURL).first)
        _ = try TestEnvironment.query("""
            UPDATE agent_sessions SET tokens_used = 2147483647 WHERE user_id = $1 AND start_time >= '2026-11-05Z' AND start_time < '2026-11-06Z'
            """, [session[1]], url: Self.adminURL)
        _ = try TestEnvironment.query("""
            INSERT INTO agent_sessions (user_id, session_id, git_branch, vision, working_directory, start_time, tokens_used, execution_status)
            VALUES ($1, 'ses-overflow', 'b', 'v', '/w', '2026-11-05 12:00:00+00', 2147483647, 'completed')
            """, [session[1]], url: Self.adminURL)
        let overflow = try Self.rollup(["--from-date", "2026-11-05", "--to-date", "2026-11-06"])
        #expect(overflow.status == 70, "\(overflow.stderr)")
        #expect(overflow.stderr.contains(session[1]!) && overflow.stderr.contains("2026-11-05") && overflow.stderr.contains("total_tokens_consumed"),
                "\(overflow.stderr)")
        #expect(try Self.digest("2026-11-05") == before, "the failing day is unchanged")
        #expect(overflow.stdout.contains("2026-11-06: inserted"), "the other day is written: \(overflow.stdout)")
    }

    @Test func aRoleWithoutDeleteGets77() throws {
        let result = try Self.rollup(["--date", "2026-11-07"], role: Self.withoutDelete)
        #expect(result.status == 77, "\(result.stderr)")
        #expect(result.stderr.contains("DELETE ON daily_usage_stats") && result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(try TestEnvironment.count("SELECT count(*) FROM daily_usage_stats WHERE date_bucket = '2026-11-07'", url: Self.adminURL) == 0)
    }
}

import Foundation
import Testing
@testable import KeenReports

/// Values at the limits of their column types, and negative balances, in a
/// window of their own (2030-01-01) of a database copy that tests may write.
@Suite struct ExtremeValuesTests {
    static let window = ReportWindowCase(from: "2030-01-01", to: "2030-01-02", tz: "UTC",
                                         fromUTC: "2030-01-01T00:00:00Z", toUTC: "2030-01-02T00:00:00Z")

    @Test func reportsStayExactAtTheLimits() throws {
        let url = try #require(ProcessInfo.processInfo.environment["KEEN_TEST_EXTREMES_URL"], "set by scripts/test")
        let connection = try PostgresConnection(ConnectionSettings(conninfo: url))
        let statements = """
            INSERT INTO users (id, email, username, password_hash) VALUES ('00000000-0000-0000-0000-0000000000e1', 'max@example.com', '+max', 'x');
            INSERT INTO credit_accounts (id, user_id, current_balance, lifetime_purchased, lifetime_spent)
            VALUES ('00000000-0000-0000-0000-0000000000a1', '00000000-0000-0000-0000-0000000000e1', -99999999.9999, 99999999.9999, 0);
            INSERT INTO agent_sessions (id, user_id, session_id, git_branch, vision, working_directory, start_time, end_time,
                                        total_cost, tokens_used, iteration_count, tool_calls_count, session_depth, execution_status)
            VALUES ('00000000-0000-0000-0000-0000000000b1', '00000000-0000-0000-0000-0000000000e1', 'ses-max-1', 'b', 'v', '/w',
                    '2030-01-01 00:00:00+00', '2030-01-01 23:59:59.999999+00', 9999.999999, 2147483647, 2147483647, 2147483647, 0, 'completed'),
                   ('00000000-0000-0000-0000-0000000000b2', '00000000-0000-0000-0000-0000000000e1', 'ses-max-2', 'b', 'v', '/w',
                    '2030-01-01 00:00:00.000001+00', NULL, 9999.999999, 2147483647, 0, 0, 0, 'running');
            INSERT INTO tool_executions (session_id, user_id, tool_name, execution_time_ms, success, tokens_consumed, cost, execution_timestamp)
            VALUES ('00000000-0000-0000-0000-0000000000b1', '00000000-0000-0000-0000-0000000000e1', 'max_tool', 2147483647, true, 2147483647, 9999.999999, '2030-01-01 01:00:00+00'),
                   ('00000000-0000-0000-0000-0000000000b1', '00000000-0000-0000-0000-0000000000e1', 'max_tool', 2147483647, false, 2147483647, 9999.999999, '2030-01-01 02:00:00+00'),
                   ('00000000-0000-0000-0000-0000000000b1', '00000000-0000-0000-0000-0000000000e1', 'max_tool', 0, true, NULL, NULL, '2030-01-01 03:00:00+00');
            INSERT INTO phase_transitions (session_id, user_id, from_phase, to_phase, transition_timestamp, duration_ms, summary)
            VALUES ('00000000-0000-0000-0000-0000000000b1', '00000000-0000-0000-0000-0000000000e1', 'EXPLORE', 'PLAN', '2030-01-01 01:00:00+00', 2147483647, 's'),
                   ('00000000-0000-0000-0000-0000000000b1', '00000000-0000-0000-0000-0000000000e1', 'EXPLORE', 'PLAN', '2030-01-01 02:00:00+00', 2147483647, 's');
            INSERT INTO credit_transactions (id, user_id, account_id, transaction_type, amount, balance_after, description, stripe_payment_intent_id, created_at)
            VALUES ('00000000-0000-0000-0000-0000000000c1', '00000000-0000-0000-0000-0000000000e1', '00000000-0000-0000-0000-0000000000a1',
                    'purchase', 99999999.9999, 99999999.9999, 'max', 'pi_max', '2030-01-01 01:00:00+00'),
                   ('00000000-0000-0000-0000-0000000000c2', '00000000-0000-0000-0000-0000000000e1', '00000000-0000-0000-0000-0000000000a1',
                    'adjustment', -99999999.9999, 0, 'to zero', NULL, '2030-01-01 02:00:00+00'),
                   ('00000000-0000-0000-0000-0000000000c3', '00000000-0000-0000-0000-0000000000e1', '00000000-0000-0000-0000-0000000000a1',
                    'adjustment', -99999999.9999, -99999999.9999, 'negative', NULL, '2030-01-01 03:00:00+00')
            """
        for statement in statements.components(separatedBy: ";\n") { try connection.execute(statement) }
        let settings = ConnectionSettings(conninfo: url)
        let directory = try TestEnvironment.temporaryDirectory()
        let catalog = try TestEnvironment.catalog()
        let parameters = try ReportParameters(window: ReportWindow(from: Self.window.from, to: Self.window.to, zone: .utc))
        _ = try ReportRunner(catalog: catalog).run(catalog.reports.map { $0 }, parameters: parameters, connection: settings,
                                                   output: OutputOptions(directory: directory))
        let tools = try TestEnvironment.csv(directory + "/cost_per_tool.csv")
        #expect(tools.dropFirst().first == ["max_tool", "3", "2", "1", "0.6667", "19999.999998", "6666.666666", "4294967294",
                                            "1431655764.667", "2147483647.000", "2147483647.000", "2147483647.000", "2147483647", "1", "1"])
        let phases = try TestEnvironment.csv(directory + "/phase_time_breakdown.csv")
        #expect(phases[1] == ["EXPLORE", "2", "1", "4294967294", "2147483647.000", "2147483647.000", "2147483647.000", "2147483647"])
        let sessions = try TestEnvironment.csv(directory + "/session_usage.csv").dropFirst()
        #expect(sessions.map { $0[13] } == ["9999.999999", "9999.999999"])
        #expect(sessions.map { $0[6] } == ["2030-01-01T00:00:00Z", "2030-01-01T00:00:00.000001Z"])
        #expect(sessions.first?[7] == "2030-01-01T23:59:59.999999Z" && sessions.first?[3] == "'+max")
        let daily = try TestEnvironment.csv(directory + "/daily_usage.csv").dropFirst()
        #expect(daily.first?[6] == "86399", "23:59:59.999999 floors to 86399 seconds")
        #expect(daily.first?[16] == "4294967294" && daily.first?[17] == "19999.999998")
        let dashboard = try TestEnvironment.csv(directory + "/dashboard_metrics.csv")
        #expect(dashboard[1][8] == "9999.999999" && dashboard[1][9] == "4294967294")

        let outcome = try Reconciler(catalog: catalog).run(try Reconciler.Options(window: try ReportWindow(from: Self.window.from, to: Self.window.to, zone: .utc)),
                                                           connection: settings, output: directory)
        let summary = try TestEnvironment.json(directory + "/reconciliation_summary.json")
        #expect(summary["net_change"] as? String == "-99999999.9999")
        #expect(outcome.balanced)
        let rows = try TestEnvironment.csv(directory + "/reconciliation_discrepancies.csv").dropFirst()
        // The ended session cost 9999.999999 (10000.0000 at 4 places) and is not billed.
        let unbilled = try #require(rows.first { $0[0] == "UNBILLED_SESSION" && $0[4] == "00000000-0000-0000-0000-0000000000b1" })
        #expect(unbilled[6] == "10000.0000" && unbilled[7] == "0.0000")
        #expect(!rows.contains { $0[1] == "00000000-0000-0000-0000-0000000000a1" && $0[0] != "UNBILLED_SESSION" },
                "the negative balance chain is consistent")
    }
}

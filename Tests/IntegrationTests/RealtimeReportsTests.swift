import Foundation
import Testing
@testable import KeenReports

/// realtime_events, websocket_connections and system_health against
/// independent SQL computations of REPORTS.md's definitions, cell by cell,
/// in UTC and New York, across the end of daylight saving time.
@Suite struct RealtimeReportsTests {
    static let windows = [("2026-11-10", "2026-11-13", "UTC"), ("2026-10-31T13:30:00-04:00", "2026-11-03", "America/New_York")]

    @Test(arguments: windows)
    func realtimeEventsAgreeWithIndependentSQL(from: String, to: String, tz: String) throws {
        let directory = try TestEnvironment.run(["realtime_events"], from: from, to: to, tz: tz)
        let window = try ReportWindow(from: from, to: to, zone: #require(ReportTimeZone(identifier: tz)))
        let expected = try TestEnvironment.query("""
            SELECT \(TestEnvironment.guarded("event_type")), \(TestEnvironment.guarded("event_source")), count(*)::text, count(DISTINCT session_id)::text, count(DISTINCT user_id)::text,
                   sum(CASE WHEN coalesce(array_length(delivered_to, 1), 0) > 0 THEN 1 ELSE 0 END)::text,
                   sum(CASE WHEN coalesce(array_length(delivered_to, 1), 0) > 0 THEN 0 ELSE 1 END)::text,
                   to_char(round(sum(CASE WHEN coalesce(array_length(delivered_to, 1), 0) > 0 THEN 1 ELSE 0 END)::numeric / count(*), 4), 'FM0.0000'),
                   sum(coalesce(array_length(delivered_to, 1), 0))::text,
                   \(TestEnvironment.rfc3339("min(event_timestamp)")), \(TestEnvironment.rfc3339("max(event_timestamp)"))
            FROM streaming_events WHERE event_timestamp >= $1::timestamptz AND event_timestamp < $2::timestamptz
            GROUP BY event_type, event_source ORDER BY event_type COLLATE "C", event_source COLLATE "C"
            """, [window.from.utcText, window.to.utcText], timeZone: tz).map { $0.map { $0 ?? "" } }
        let rows = try TestEnvironment.csv(directory + "/realtime_events.csv")
        #expect(Array(rows.dropFirst()) == expected)
        #expect(rows.count > 20, "the data has many event types and sources")
        // Byte order: 'Zeta' before 'alpha', the formula-like type guarded.
        let types = rows.dropFirst().map { $0[0] }
        #expect(types.firstIndex(of: "Zeta")! < types.firstIndex(of: "alpha")!)
        #expect(types.contains("'=HYPERLINK(\"x\")"))
    }

    @Test(arguments: windows)
    func websocketConnectionsAgreeWithIndependentSQL(from: String, to: String, tz: String) throws {
        let window = try ReportWindow(from: from, to: to, zone: #require(ReportTimeZone(identifier: tz)))
        let directory = try TestEnvironment.run(["websocket_connections"], from: from, to: to, tz: tz)
        #expect(Array(try TestEnvironment.csv(directory + "/websocket_connections.csv").dropFirst())
                == (try Self.expectedConnections(window: window, userID: nil)))
    }

    /// The distinct sessions spilled to temporary files (the limit lowered
    /// far below the window's connections) still equal the spec in SQL.
    @Test func websocketSessionsCountedThroughSpilledPartitionsAreExact() throws {
        let window = try ReportWindow(from: "2026-10-20", to: "2026-12-01", zone: .utc)
        let catalog = try TestEnvironment.catalog()
        var runner = ReportRunner(catalog: catalog)
        runner.idsPerPartition = 100
        let directory = try TestEnvironment.temporaryDirectory()
        _ = try runner.run([try catalog.report(named: "websocket_connections")], parameters: try ReportParameters(window: window),
                           connection: try TestEnvironment.settings(), output: OutputOptions(directory: directory, formats: [.csv]))
        let rows = Array(try TestEnvironment.csv(directory + "/websocket_connections.csv").dropFirst())
        #expect(rows.reduce(0) { $0 + Int($1[3])! } > 16 * 100, "the sessions spill into every file and past it")
        #expect(rows == (try Self.expectedConnections(window: window, userID: nil)))
    }

    @Test func websocketConnectionsOfOneTenant() throws {
        let window = try ReportWindow(from: "2026-11-01", to: "2026-11-29", zone: .utc)
        let user = try #require(try TestEnvironment.query("""
            SELECT user_id::text FROM websocket_connections GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1
            """).first?[0])
        let directory = try TestEnvironment.run(["websocket_connections", "realtime_events"], from: "2026-11-01", to: "2026-11-29", userID: user)
        let rows = Array(try TestEnvironment.csv(directory + "/websocket_connections.csv").dropFirst())
        let expected = try Self.expectedConnections(window: window, userID: user)
        #expect(!rows.isEmpty && rows == expected)
        let events = Array(try TestEnvironment.csv(directory + "/realtime_events.csv").dropFirst())
        let total = try TestEnvironment.query("""
            SELECT count(*)::text FROM streaming_events WHERE user_id = $1::uuid AND event_timestamp >= '2026-11-01' AND event_timestamp < '2026-11-29'
            """, [user])
        #expect(String(events.reduce(0) { $0 + Int($1[2])! }) == total.first?[0])
    }

    /// REPORTS.md's websocket_connections, with percentile_cont written out
    /// exactly over the ranks (no float on the way).
    static func expectedConnections(window: ReportWindow, userID: String?) throws -> [[String]] {
        try TestEnvironment.query("""
            WITH c AS (
                SELECT * FROM websocket_connections
                WHERE connected_at >= $1::timestamptz AND connected_at < $2::timestamptz AND ($3::uuid IS NULL OR user_id = $3::uuid)
            ), closed AS (
                SELECT client_type, extract(epoch FROM disconnected_at) - extract(epoch FROM connected_at) AS s,
                       row_number() OVER (PARTITION BY client_type ORDER BY disconnected_at - connected_at) - 1 AS r,
                       count(*) OVER (PARTITION BY client_type) AS n
                FROM c WHERE disconnected_at IS NOT NULL
            ), ranks AS (
                SELECT client_type, f.fraction,
                       min(s) FILTER (WHERE r = floor(f.fraction * (n - 1))) AS low,
                       min(s) FILTER (WHERE r = ceil(f.fraction * (n - 1))) AS high,
                       min(f.fraction * (n - 1) - floor(f.fraction * (n - 1))) AS weight
                FROM closed CROSS JOIN (VALUES (0.50), (0.95)) AS f(fraction) GROUP BY 1, 2
            ), percentiles AS (
                SELECT client_type, max(round(low + weight * (high - low), 3)) FILTER (WHERE fraction = 0.50) AS p50,
                       max(round(low + weight * (high - low), 3)) FILTER (WHERE fraction = 0.95) AS p95
                FROM ranks GROUP BY 1
            )
            SELECT \(TestEnvironment.guarded("c.client_type")), count(*)::text, count(DISTINCT c.user_id)::text, count(DISTINCT c.session_id)::text,
                   count(c.disconnected_at)::text,
                   sum(CASE WHEN c.disconnected_at IS NULL OR c.disconnected_at >= $2::timestamptz THEN 1 ELSE 0 END)::text,
                   sum(CASE WHEN (c.disconnected_at IS NULL OR c.disconnected_at >= $2::timestamptz)
                             AND c.last_ping_at < $2::timestamptz - interval '5 minutes' THEN 1 ELSE 0 END)::text,
                   coalesce(round(sum(extract(epoch FROM c.disconnected_at) - extract(epoch FROM c.connected_at))
                                  / nullif(count(c.disconnected_at), 0), 3)::text, ''),
                   coalesce(max(p.p50)::text, ''), coalesce(max(p.p95)::text, '')
            FROM c LEFT JOIN percentiles p ON p.client_type = c.client_type
            GROUP BY c.client_type ORDER BY c.client_type COLLATE "C"
            """, [window.from.utcText, window.to.utcText, userID]).map { $0.map { $0 ?? "" } }
    }

    @Test func stalenessIsMoreThanFiveMinutesBeforeTheEnd() throws {
        // Never-closed connections last pinged exactly five minutes before a
        // UTC midnight: at that midnight they are not stale, a microsecond later they are.
        let edge = try #require(try TestEnvironment.query("""
            SELECT to_char((last_ping_at + interval '5 minutes') AT TIME ZONE 'UTC', 'YYYY-MM-DD') FROM websocket_connections
            WHERE disconnected_at IS NULL AND last_ping_at + interval '5 minutes' = date_trunc('day', last_ping_at + interval '5 minutes', 'UTC')
              AND connected_at >= date_trunc('day', last_ping_at, 'UTC')
            GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1
            """).first?[0])
        let day = try #require(CivilDate(edge)).adding(days: -1).description
        let atEdge = try TestEnvironment.run(["websocket_connections"], from: day, to: edge)
        let later = try TestEnvironment.run(["websocket_connections"], from: day, to: edge + "T00:00:00.000001Z")
        let stale = { (directory: String) in try TestEnvironment.csv(directory + "/websocket_connections.csv").dropFirst().reduce(0) { $0 + Int($1[6])! } }
        #expect(try stale(later) > stale(atEdge))
    }

    @Test(arguments: windows)
    func systemHealthAgreesWithIndependentSQL(from: String, to: String, tz: String) throws {
        let window = try ReportWindow(from: from, to: to, zone: #require(ReportTimeZone(identifier: tz)))
        let directory = try TestEnvironment.run(["system_health"], from: from, to: to, tz: tz)
        let expected = try TestEnvironment.query("""
            WITH hours AS (
                SELECT h, least(h + interval '1 hour', $2::timestamptz) AS h_end
                FROM generate_series($1::timestamptz, $2::timestamptz - interval '1 microsecond', interval '1 hour') AS h
            )
            SELECT \(TestEnvironment.rfc3339("hours.h")), count(m.id)::text,
                   coalesce(to_char(round(avg(m.avg_response_time_ms), 3), 'FM999990.000'), ''),
                   coalesce(to_char(max(m.avg_response_time_ms), 'FM999990.00'), ''),
                   coalesce(to_char(round(avg(m.error_rate), 4), 'FM0.0000'), ''), coalesce(to_char(max(m.error_rate), 'FM0.0000'), ''),
                   coalesce(max(m.active_users)::text, ''), coalesce(max(m.active_sessions)::text, ''),
                   coalesce(max(m.active_websocket_connections)::text, ''),
                   coalesce(to_char(round(avg(m.cpu_usage_percent), 2), 'FM990.00'), ''),
                   coalesce(to_char(round(avg(m.memory_usage_percent), 2), 'FM990.00'), ''),
                   coalesce(l.e::text, ''), coalesce(l.p::text, ''), coalesce(l.f::text, ''), coalesce(l.s::text, ''), coalesce(l.c::text, '')
            FROM hours
            LEFT JOIN system_metrics m ON m.metric_timestamp >= hours.h AND m.metric_timestamp < hours.h_end
            LEFT JOIN LATERAL (
                SELECT sessions_in_explore AS e, sessions_in_plan AS p, sessions_in_found AS f, sessions_in_summon AS s,
                       sessions_in_complete AS c
                FROM system_metrics x WHERE x.metric_timestamp >= hours.h AND x.metric_timestamp < hours.h_end
                ORDER BY x.metric_timestamp DESC, x.id DESC LIMIT 1
            ) l ON true
            GROUP BY hours.h, l.e, l.p, l.f, l.s, l.c ORDER BY hours.h
            """, [window.from.utcText, window.to.utcText], timeZone: tz).map { $0.map { $0 ?? "" } }
        let rows = Array(try TestEnvironment.csv(directory + "/system_health.csv").dropFirst())
        #expect(rows == expected)
        if window.from == (try ReportWindow.instant("2026-11-10", zone: .utc)) {
            // The generator leaves whole UTC hours without samples; a window starting on the half hour cuts them in two.
            #expect(rows.contains { $0[1] == "0" && $0[2...].allSatisfy(\.isEmpty) }, "an hour without samples is empty")
        }
        #expect(rows.contains { $0[1] == "7" }, "an hour with two samples at one instant")
    }

    @Test func systemHealthRefusesATenant() throws {
        let result = try runKeenReports(["run", "system_health", "--from", "2026-11-10", "--to", "2026-11-11",
                                         "--user-id", "0b7c2a54-7f1e-4c3a-9d2b-5e6f7a8b9c0d",
                                         "--output-dir", try TestEnvironment.temporaryDirectory()])
        #expect(result.status == 64 && result.stderr.contains("platform-wide"), "\(result.stderr)")
    }
}

/// The dashboard's money against the ledger: each day's last sample, with
/// the planted mismatches found and nothing else.
@Suite struct MetricsReconciliationTests {
    static var planted: String { get throws { try ReconciliationTests.environment("KEEN_TEST_PLANTED_URL") } }

    static func metricsRows(window: ReportWindow, tolerance: String = "0", metricsZone: ReportTimeZone = .utc,
                            url: String? = nil) throws -> [[String]] {
        let directory = try TestEnvironment.temporaryDirectory()
        var options = try Reconciler.Options(window: window, tolerance: ExactDecimal(tolerance)!)
        options.metricsZone = metricsZone
        _ = try Reconciler(catalog: TestEnvironment.catalog()).run(options, connection: ConnectionSettings(conninfo: url ?? planted),
                                                                    output: directory)
        return try TestEnvironment.csv(directory + "/reconciliation_discrepancies.csv").dropFirst().filter { $0[0].hasPrefix("METRICS_") }
    }

    /// (type, expected, actual) that REPORTS.md's rule gives, by SQL.
    static func expected(window: ReportWindow, metricsZone: String, url: String) throws -> [[String]] {
        let connection = try PostgresConnection(ConnectionSettings(conninfo: url))
        return try connection.execute("""
            WITH days AS (
                SELECT DISTINCT ON ((metric_timestamp AT TIME ZONE $3)::date) (metric_timestamp AT TIME ZONE $3)::date AS day,
                       metric_timestamp AS at, credits_purchased_today AS purchased, credits_consumed_today AS consumed
                FROM system_metrics ORDER BY (metric_timestamp AT TIME ZONE $3)::date, metric_timestamp DESC, id DESC
            ), sums AS (
                SELECT d.*, (SELECT coalesce(sum(amount), 0) FROM credit_transactions
                             WHERE transaction_type = 'purchase' AND created_at >= d.day::timestamp AT TIME ZONE $3 AND created_at <= d.at) AS lp,
                            (SELECT coalesce(-sum(amount), 0) FROM credit_transactions
                             WHERE transaction_type = 'usage' AND created_at >= d.day::timestamp AT TIME ZONE $3 AND created_at <= d.at) AS lc
                FROM days d WHERE d.at >= $1::timestamptz AND d.at < $2::timestamptz
            )
            SELECT * FROM (
                SELECT 'METRICS_CONSUMED_MISMATCH' AS type, to_char(lc, 'FM999999990.0000') AS e, to_char(consumed, 'FM999999990.0000') AS a, at
                FROM sums WHERE lc <> consumed
                UNION ALL
                SELECT 'METRICS_PURCHASED_MISMATCH', to_char(lp, 'FM999999990.0000'), to_char(purchased, 'FM999999990.0000'), at
                FROM sums WHERE lp <> purchased
            ) x ORDER BY type, at
            """, [window.from.utcText, window.to.utcText, metricsZone]).rows.map { [$0[0]!, $0[1]!, $0[2]!] }
    }

    @Test(arguments: [("2026-11-10", "2026-11-20", "UTC"), ("2026-11-12", "2026-11-12T12:00:00Z", "UTC"),
                      ("2026-11-01", "2026-11-20", "America/New_York")])
    func agreesWithIndependentSQL(from: String, to: String, metricsZone: String) throws {
        let window = try ReportWindow(from: from, to: to, zone: .utc)
        let zone = try #require(ReportTimeZone(identifier: metricsZone))
        let rows = try Self.metricsRows(window: window, metricsZone: zone).map { [$0[0], $0[6], $0[7]] }
        #expect(rows == (try Self.expected(window: window, metricsZone: metricsZone, url: Self.planted)), "\(from) to \(to) in \(metricsZone)")
    }

    @Test func theDaysLastSampleOnlyAndOnlyInsideTheWindow() throws {
        let all = try Self.metricsRows(window: try ReportWindow(from: "2026-11-10", to: "2026-11-20", zone: .utc))
        #expect(all.map { [$0[0], $0[6], $0[7]] }.count == 2, "the planted pair; the wrong sample of 11-14 is not its day's last")
        #expect(all.allSatisfy { $0[1...5].allSatisfy(\.isEmpty) && $0[8].contains("2026-11-1") }, "no ids, the sample's time named")
        // The window ends before 11-12's last sample: that day is not checked.
        #expect(try Self.metricsRows(window: try ReportWindow(from: "2026-11-12", to: "2026-11-12T23:00:00Z", zone: .utc)).isEmpty)
        // Clean data is clean.
        #expect(try Self.metricsRows(window: try ReportWindow(from: "2026-11-01", to: "2026-11-29", zone: .utc),
                                     url: TestEnvironment.databaseURL()).isEmpty)
    }

    @Test func theToleranceLetsADifferenceAtTheLimitThrough() throws {
        let window = try ReportWindow(from: "2026-11-10", to: "2026-11-20", zone: .utc)
        #expect(try Self.metricsRows(window: window, tolerance: "3").map { $0[0] } == ["METRICS_PURCHASED_MISMATCH"])
        #expect(try Self.metricsRows(window: window, tolerance: "2.9999").count == 2)
        #expect(try Self.metricsRows(window: window, tolerance: "7").isEmpty)
    }
}

import Foundation
import Testing
@testable import KeenReports

/// Against a real streaming hot standby of the test server (scripts/test
/// makes it with pg_basebackup): the same files as on the primary, a lagging
/// standby refused (75), replay conflicts retried, a backfill over both.
@Suite(.serialized) struct ReplicaTests {
    static func standby(_ name: String) throws -> String {
        try ReconciliationTests.environment("KEEN_TEST_STANDBY_\(name.uppercased())_URL")
    }

    static func primary(_ database: String) throws -> String {
        let url = try TestEnvironment.databaseURL()
        return url.replacingOccurrences(of: "/keen_test", with: "/\(database)")
    }

    /// The standby's server (its postgres database), for replay control.
    static func standbyAdmin() throws -> PostgresConnection {
        let url = try standby("test").replacingOccurrences(of: "/keen_test", with: "/postgres")
        return try PostgresConnection(ConnectionSettings(conninfo: url))
    }

    /// Runs keen-reports against the standby's `database`, waiting for the
    /// primary's WAL position.
    static func onStandby(_ arguments: [String], database: String = "test", wait: String = "60s",
                          environment: [String: String] = [:]) throws -> CommandResult {
        let name = database == "test" ? "keen_test" : "keen_\(database)"
        return try runKeenReports(arguments + ["--primary-url", try primary(name), "--replica-wait", wait],
                                  environment: ["KEEN_DATABASE_URL": try standby(database)].merging(environment) { $1 })
    }

    /// Every file of two folders equal: CSV byte for byte, JSON but for
    /// `generated_at` and how the ledger was read (`ledger_pass`, and the
    /// checkpoint's header: a night of a spread backfill may find no earlier
    /// checkpoint yet and read the whole ledger, to the same result).
    static func expectSameFiles(_ a: String, _ b: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: a).filter { !$0.hasPrefix(".") && $0 != "index.html" }.sorted()
        #expect(names == (try FileManager.default.contentsOfDirectory(atPath: b).filter { !$0.hasPrefix(".") && $0 != "index.html" }.sorted()),
                sourceLocation: sourceLocation)
        #expect(names.count >= 3, sourceLocation: sourceLocation)
        for name in names where name != "manifest.json" {
            func content(_ folder: String) throws -> String {
                let lines = try String(contentsOfFile: folder + "/" + name, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
                if name == LedgerCheckpoint.fileName { return lines.dropFirst().joined(separator: "\n") }
                if name == "reconciliation_summary.json" {
                    var object = try TestEnvironment.json(folder + "/" + name)
                    object["generated_at"] = nil
                    object["ledger_pass"] = nil
                    return String(decoding: try JSONSerialization.data(withJSONObject: object, options: .sortedKeys), as: UTF8.self)
                }
                return lines.filter { !$0.contains("\"generated_at\"") }.joined(separator: "\n")
            }
            #expect(try content(a) == content(b), "\(name)", sourceLocation: sourceLocation)
        }
    }

    @Test func everyCommandWritesTheSameFilesOnTheStandby() throws {
        let reports = try TestEnvironment.catalog().reports.map(\.name)
        let window = ["--from", "2026-11-10", "--to", "2026-11-20", "--tz", "America/New_York"]
        let (onPrimary, onStandby) = (try TestEnvironment.temporaryDirectory(), try TestEnvironment.temporaryDirectory())
        let primaryRun = try runKeenReports(["run"] + reports + window + ["--output-dir", onPrimary])
        let standbyRun = try Self.onStandby(["run"] + reports + window + ["--output-dir", onStandby])
        #expect(primaryRun.status == 0 && standbyRun.status == 0, "\(standbyRun.stderr)")
        try Self.expectSameFiles(onPrimary, onStandby)

        let stripe = try ReconciliationTests.environment("KEEN_TEST_STRIPE_PLANTED")
        let (reconciledPrimary, reconciledStandby) = (try TestEnvironment.temporaryDirectory(), try TestEnvironment.temporaryDirectory())
        let planted = try runKeenReports(["reconcile", "--stripe-export", stripe, "--output-dir", reconciledPrimary] + window,
                                         environment: ["KEEN_DATABASE_URL": try Self.primary("keen_planted")])
        let plantedStandby = try Self.onStandby(["reconcile", "--stripe-export", stripe, "--output-dir", reconciledStandby] + window,
                                                database: "planted")
        #expect(planted.status == 1 && plantedStandby.status == 1, "\(plantedStandby.stderr)")
        try Self.expectSameFiles(reconciledPrimary, reconciledStandby)

        let (nightlyPrimary, nightlyStandby) = (try TestEnvironment.temporaryDirectory(), try TestEnvironment.temporaryDirectory())
        #expect(try runKeenReports(["nightly", "--date", "2026-11-12", "--output-dir", nightlyPrimary]).status == 0)
        let standbyNight = try Self.onStandby(["nightly", "--date", "2026-11-12", "--output-dir", nightlyStandby])
        #expect(standbyNight.status == 0, "\(standbyNight.stderr)")
        try Self.expectSameFiles(nightlyPrimary + "/2026-11-12", nightlyStandby + "/2026-11-12")
        let manifest = try TestEnvironment.json(nightlyStandby + "/2026-11-12/manifest.json")
        let server = try #require(manifest["server"] as? [String: Any])
        #expect(server["role"] as? String == "standby" && (server["replay_lsn"] as? String)?.contains("/") == true)
        #expect((server["system_identifier"] as? String)?.isEmpty == false)
    }

    @Test func aStandbyBehindTheWindowIsRefusedThenCatchesUp() throws {
        let admin = try Self.standbyAdmin()
        try admin.execute("SELECT pg_wal_replay_pause()")
        defer { _ = try? admin.execute("SELECT pg_wal_replay_resume()") }
        // A pause is only asked for until the startup process takes it.
        for _ in 0..<100 where try admin.execute("SELECT pg_get_wal_replay_pause_state()").value(0, 0) != "paused" {
            Thread.sleep(forTimeInterval: 0.05)
        }
        // Committed on the primary while the standby does not replay.
        let session = try #require(try TestEnvironment.query("""
            INSERT INTO agent_sessions (user_id, session_id, git_branch, vision, working_directory, start_time, execution_status)
            SELECT id, 'ses-late-' || gen_random_uuid(), 'b', 'v', '/w', '2026-11-22 12:00:00+00', 'running' FROM users LIMIT 1
            RETURNING id::text
            """, url: Self.primary("keen_scratch")).first?[0])
        let directory = try TestEnvironment.temporaryDirectory()
        let arguments = ["run", "session_usage", "--from", "2026-11-22", "--to", "2026-11-23", "--format", "csv", "--output-dir", directory]
        let started = Date()
        let stale = try Self.onStandby(arguments, database: "scratch", wait: "3s")
        #expect(stale.status == 75, "\(stale.stderr)")
        #expect(Date().timeIntervalSince(started) < 15)
        #expect(stale.stderr.contains("waiting") && stale.stderr.contains("paused"), "\(stale.stderr)")
        #expect(try TestEnvironment.entries(directory).isEmpty, "nothing written for a stale standby")

        try admin.execute("SELECT pg_wal_replay_resume()")
        let fresh = try Self.onStandby(arguments, database: "scratch")
        #expect(fresh.status == 0, "\(fresh.stderr)")
        #expect(try TestEnvironment.csv(directory + "/session_usage.csv").contains { $0[0] == session }, "the late row is in")
    }

    @Test func aReplayConflictIsRetriedOnANewSnapshot() throws {
        let admin = try Self.standbyAdmin()
        try admin.execute("ALTER SYSTEM SET max_standby_streaming_delay = 0")
        try admin.execute("SELECT pg_reload_conf()")
        defer {
            _ = try? admin.execute("ALTER SYSTEM RESET max_standby_streaming_delay")
            _ = try? admin.execute("SELECT pg_reload_conf()")
        }
        let catalog = try TestEnvironment.catalogWith([("slow_sessions", "SELECT count(*)::int8 AS n FROM agent_sessions, pg_sleep(3) WHERE start_time < '2026-10-25'")])
        let directory = try TestEnvironment.temporaryDirectory()
        let standbyURL = try Self.standby("scratch") + "?application_name=keen_conflict_test"
        let command = try RunningCommand(["run", "slow_sessions", "--from", "2026-11-01", "--to", "2026-11-02", "--format", "csv",
                                          "--output-dir", directory, "--primary-url", try Self.primary("keen_scratch")],
                                         environment: ["KEEN_REPORTS_CATALOG": catalog, "KEEN_DATABASE_URL": standbyURL])
        // It starts once the standby has replayed the primary's position, which
        // the other suites' writes can delay by seconds: up to 20 s.
        var running = false
        for _ in 0..<400 where !running {
            running = try admin.execute("""
                SELECT count(*) FROM pg_stat_activity WHERE application_name = 'keen_conflict_test' AND query LIKE 'COPY%' AND state = 'active'
                """).value(0, 0) != "0"
            if !running { Thread.sleep(forTimeInterval: 0.05) }
        }
        #expect(running, "the report runs on the standby")
        // An ACCESS EXCLUSIVE lock on the primary, replayed on the standby,
        // conflicts with the report's read of the table.
        let primary = try PostgresConnection(ConnectionSettings(conninfo: try Self.primary("keen_scratch")))
        try primary.execute("BEGIN")
        try primary.execute("LOCK TABLE agent_sessions IN ACCESS EXCLUSIVE MODE")
        try primary.execute("COMMIT")
        let result = command.wait()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("conflict with recovery") && result.stderr.contains("retry 1 of 3"), "\(result.stderr)")
        // Other suites add sessions to this database meanwhile, none before 2026-10-25.
        let count = try TestEnvironment.query("SELECT count(*)::text FROM agent_sessions WHERE start_time < '2026-10-25'",
                                              url: Self.primary("keen_scratch"))[0][0]
        #expect(try TestEnvironment.csv(directory + "/slow_sessions.csv") == [["n"], [count ?? ""]])
    }

    @Test func aBackfillSpreadsItsDaysOverBothServers() throws {
        let spread = try TestEnvironment.temporaryDirectory()
        let result = try runKeenReports(["nightly", "--from-date", "2026-11-05", "--to-date", "2026-11-08", "--output-dir", spread,
                                         "--database-url", TestEnvironment.databaseURL(), "--database-url", Self.standby("test"),
                                         "--primary-url", TestEnvironment.databaseURL()])
        #expect(result.status == 0, "\(result.stderr)")
        let alone = try TestEnvironment.temporaryDirectory()
        #expect(try runKeenReports(["nightly", "--from-date", "2026-11-05", "--to-date", "2026-11-08", "--output-dir", alone]).status == 0)
        var roles: Set<String> = []
        for day in ["2026-11-05", "2026-11-06", "2026-11-07", "2026-11-08"] {
            try Self.expectSameFiles(spread + "/" + day, alone + "/" + day)
            let server = try #require(try TestEnvironment.json(spread + "/\(day)/manifest.json")["server"] as? [String: Any])
            roles.insert(server["role"] as? String ?? "")
        }
        #expect(roles == ["primary", "standby"], "the manifests name both servers")
    }

    @Test func aServerThatDoesNotAnswerLeavesItsDaysToTheOthers() throws {
        let directory = try TestEnvironment.temporaryDirectory()
        let result = try runKeenReports(["nightly", "--from-date", "2026-11-05", "--to-date", "2026-11-08", "--output-dir", directory,
                                         "--database-url", "postgresql://nobody@127.0.0.1:1/keen?connect_timeout=2",
                                         "--database-url", TestEnvironment.databaseURL()])
        #expect(result.status == 0, "\(result.stderr)")
        for day in ["2026-11-05", "2026-11-06", "2026-11-07", "2026-11-08"] {
            let server = try #require(try TestEnvironment.json(directory + "/\(day)/manifest.json")["server"] as? [String: Any])
            #expect(server["role"] as? String == "primary", "\(day)")
        }
        let unreachable = try runKeenReports(["nightly", "--date", "2026-11-05", "--output-dir", try TestEnvironment.temporaryDirectory(),
                                              "--database-url", "postgresql://nobody@127.0.0.1:1/keen?connect_timeout=2",
                                              "--database-url", "postgresql://nobody@127.0.0.1:2/keen?connect_timeout=2"])
        #expect(unreachable.status == 69, "\(unreachable.stderr)")
    }

    @Test func theWritingCommandsRefuseAStandby() throws {
        let rollup = try runKeenReports(["rollup", "--date", "2026-11-05"], environment: ["KEEN_DATABASE_URL": try Self.standby("test")])
        #expect(rollup.status == 64 && rollup.stderr.contains("hot standby"), "\(rollup.stderr)")
        let mark = try runKeenReports(["reconcile", "--from", "2026-11-10", "--to", "2026-11-20", "--mark", "--stripe-export",
                                       ReconciliationTests.environment("KEEN_TEST_STRIPE_PLANTED"),
                                       "--output-dir", try TestEnvironment.temporaryDirectory()],
                                      environment: ["KEEN_DATABASE_URL": try Self.standby("planted")])
        #expect(mark.status == 64 && mark.stderr.contains("hot standby"), "\(mark.stderr)")
    }
}

/// CLI.md, "Fresh enough without --primary-url": a standby made from an idle
/// primary has replayed no transaction, so it has no replay timestamp; the
/// primary's keepalives show it holds the window. Its own idle primary and
/// standby, with keepalives every second.
@Suite struct IdlePrimaryFreshnessTests {
    /// scripts/pg through system(3): Foundation's Process on Linux waits for
    /// a descriptor its child inherits, which the server scripts/pg starts
    /// keeps open, so waitUntilExit would never return.
    static func script(_ arguments: [String]) throws -> String {
        let file = try TestEnvironment.temporaryDirectory() + "/output"
        let command = ([TestEnvironment.packageRoot.path + "/scripts/pg"] + arguments).map { "'\($0)'" }.joined(separator: " ")
        let status = system(command + " > '\(file)'")
        try #require(status == 0, "scripts/pg \(arguments.joined(separator: " ")): \(status)")
        return try String(contentsOfFile: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func aStandbyOfAnIdlePrimaryGoesOnWithinAKeepalive() throws {
        let directory = try TestEnvironment.temporaryDirectory()
        let port = 30000 + Int.random(in: 0..<20000)
        let primary = try Self.script(["start", directory + "/primary", String(port)])
        defer { _ = try? Self.script(["stop", directory + "/primary"]) }
        let admin = try PostgresConnection(ConnectionSettings(conninfo: primary))
        try admin.execute("ALTER SYSTEM SET wal_sender_timeout = '2s'")
        try admin.execute("SELECT pg_reload_conf()")
        try #require(system("psql -X -q -v ON_ERROR_STOP=1 '\(primary)' -f '\(TestEnvironment.packageRoot.path)/schema/001_keen_schema.sql' > /dev/null") == 0)
        let standby = try Self.script(["standby", directory + "/primary", String(port), directory + "/standby", String(port + 1)])
        defer { _ = try? Self.script(["stop", directory + "/standby"]) }
        let standbyAdmin = try PostgresConnection(ConnectionSettings(conninfo: standby))
        #expect(try standbyAdmin.execute("SELECT pg_last_xact_replay_timestamp() IS NULL").value(0, 0) == "t",
                "the new standby has replayed no transaction")

        let output = try TestEnvironment.temporaryDirectory()
        let arguments = ["run", "git_operations_by_type", "--from", "2026-11-01", "--to", "2026-11-02", "--output-dir", output,
                         "--replica-wait", "60s"]
        let started = Date()
        let fresh = try runKeenReports(arguments, environment: ["KEEN_DATABASE_URL": standby])
        #expect(fresh.status == 0, "\(fresh.stderr)")
        // At most wal_sender_timeout / 2 (1 s) for a keepalive, and a second for the rest.
        #expect(Date().timeIntervalSince(started) < 2.5, "\(Date().timeIntervalSince(started)) s")
        let onPrimary = try TestEnvironment.temporaryDirectory()
        let primaryRun = try runKeenReports(["run", "git_operations_by_type", "--from", "2026-11-01", "--to", "2026-11-02",
                                             "--output-dir", onPrimary], environment: ["KEEN_DATABASE_URL": primary])
        #expect(primaryRun.status == 0, "\(primaryRun.stderr)")
        #expect(FileManager.default.contents(atPath: output + "/git_operations_by_type.csv")
                == FileManager.default.contents(atPath: onPrimary + "/git_operations_by_type.csv"))
        // The JSON's values, less the time it was written.
        func values(_ folder: String) throws -> Data {
            var object = try TestEnvironment.json(folder + "/git_operations_by_type.json")
            object["generated_at"] = nil
            return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        }
        #expect(try values(output) == values(onPrimary))
        // check sees the same: the standby holds the window; and it says the feedback is off.
        let checked = try runKeenReports(["check"] + arguments, environment: ["KEEN_DATABASE_URL": standby])
        #expect(checked.status == 0 && checked.stdout.contains("ok    standby: replayed to"), "\(checked.stdout)\(checked.stderr)")
        #expect(checked.stdout.contains("warn  hot_standby_feedback: off"), "\(checked.stdout)")

        // Replay paused and a window the keepalives cannot vouch for yet: 75 at once, not after 60 s.
        try standbyAdmin.execute("SELECT pg_wal_replay_pause()")
        for _ in 0..<100 where try standbyAdmin.execute("SELECT pg_get_wal_replay_pause_state()").value(0, 0) != "paused" {
            Thread.sleep(forTimeInterval: 0.05)
        }
        let pausedStart = Date()
        let paused = try runKeenReports(["run", "git_operations_by_type", "--from", "2026-11-01", "--to", "2030-01-01",
                                         "--output-dir", output, "--replica-wait", "60s"], environment: ["KEEN_DATABASE_URL": standby])
        #expect(paused.status == 75 && paused.stderr.contains("paused"), "\(paused.stderr)")
        #expect(Date().timeIntervalSince(pausedStart) < 5)
        let pausedCheck = try runKeenReports(["check", "run", "git_operations_by_type", "--from", "2026-11-01", "--to", "2030-01-01",
                                              "--output-dir", output], environment: ["KEEN_DATABASE_URL": standby])
        #expect(pausedCheck.status == 75 && pausedCheck.stdout.contains("FAIL  standby: it cannot show it holds the window"), "\(pausedCheck.stdout)")
        // A writing command is refused on a standby, as rollup itself refuses it.
        let rollup = try runKeenReports(["check", "rollup", "--date", "2026-11-01"], environment: ["KEEN_DATABASE_URL": standby])
        #expect(rollup.status == 64 && rollup.stdout.contains("FAIL  server: rollup writes to the database and this server is a hot standby"),
                "\(rollup.stdout)")
    }
}

import Foundation
import Testing
@testable import KeenReports

/// The engine fails loudly and cleanly: the documented exit status, one line
/// on stderr, nothing half-written, nothing changed in the database.
@Suite struct FaultTests {
    static let hostile = ["' OR 1=1 --", "'; DROP TABLE users; --", "x\\'; SELECT pg_sleep(10); --"]

    static func tableCounts() throws -> [[String?]] {
        try TestEnvironment.query("SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM agent_sessions), (SELECT count(*) FROM credit_transactions)")
    }

    @Test func sqlInEveryTextParameterIsRejectedAndChangesNothing() throws {
        let before = try Self.tableCounts()
        for value in Self.hostile {
            let base = ["--from", "2026-11-01", "--to", "2026-11-02"]
            let attempts: [[String]] = [
                ["run", "cost_per_tool"] + base + ["--user-id", value],
                ["run", "cost_per_tool"] + base + ["--tz", value],
                ["run", "cost_per_tool", "--from", value, "--to", "2026-11-02"],
                ["run", "cost_per_tool", "--from", "2026-11-01", "--to", value],
                ["run", value] + base,
                ["run", "cost_per_tool"] + base + ["--statement-timeout", value],
                ["reconcile"] + base + ["--tolerance", value],
                ["reconcile"] + base + ["--tz", value],
                ["nightly", "--date", value],
                ["describe", value],
            ]
            for arguments in attempts {
                let directory = try TestEnvironment.temporaryDirectory()
                let result = try runKeenReports(arguments + (arguments[0] == "describe" ? [] : ["--output-dir", directory]))
                #expect(result.status == 64, "\(arguments): \(result.stderr)")
                #expect(result.stderr.split(separator: "\n").count == 1, "\(arguments)")
                #expect(try TestEnvironment.entries(directory).isEmpty)
            }
        }
        #expect(try Self.tableCounts() == before)
    }

    @Test func aDatabaseThatDoesNotExistIs69() throws {
        let url = try TestEnvironment.databaseURL().replacingOccurrences(of: "/keen_test", with: "/no_such_database")
        let result = try runKeenReports(["run", "cost_per_tool", "--from", "2026-11-01", "--to", "2026-11-02",
                                         "--output-dir", try TestEnvironment.temporaryDirectory(), "--database-url", url])
        #expect(result.status == 69)
        #expect(result.stderr.contains("no_such_database") && result.stderr.split(separator: "\n").count == 1)
    }

    /// Starts a report that streams rows for minutes, connected under
    /// `application`, and waits until its export is under way.
    static func startEndlessExport(application: String, into directory: String) throws -> RunningCommand {
        let catalog = try TestEnvironment.catalogWith([("endless", "SELECT g::int8 AS n FROM generate_series(1, 500000000) AS g")])
        let command = try RunningCommand(["run", "endless", "--from", "2026-11-01", "--to", "2026-11-02", "--output-dir", directory],
                                         environment: ["KEEN_REPORTS_CATALOG": catalog,
                                                       "KEEN_DATABASE_URL": try TestEnvironment.databaseURL(adding: "application_name=\(application)")])
        try waitForRows(in: directory)
        return command
    }

    @Test func aConnectionLostMidExportIs69AndLeavesNoFile() throws {
        let directory = try TestEnvironment.temporaryDirectory()
        let command = try Self.startEndlessExport(application: "keen_fault_kill", into: directory)
        let killed = Date()
        _ = try TestEnvironment.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'keen_fault_kill'")
        let result = command.wait()
        #expect(Date().timeIntervalSince(killed) < 10)
        #expect(result.status == 69 || result.status == 70, "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(try TestEnvironment.entries(directory).isEmpty, "no partial or temporary file")
    }

    /// Waits until the run has written its temporary files: the export is
    /// under way.
    static func waitForRows(in directory: String) throws {
        for _ in 0..<100 {
            if try TestEnvironment.entries(directory).contains(where: { $0.hasSuffix(".tmp") }) { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        Thread.sleep(forTimeInterval: 0.5)
    }

    @Test func aNightlyKilledMidRunLeavesNothingAfterTheNextRun() throws {
        let catalog = try TestEnvironment.catalogWith([("endless", "SELECT g::int8 AS n FROM generate_series(1, 500000000) AS g")])
        let definition = catalog + "/reports/endless.json"
        try String(contentsOfFile: definition, encoding: .utf8).replacingOccurrences(of: "\"nightly\": false", with: "\"nightly\": true")
            .write(toFile: definition, atomically: true, encoding: .utf8)
        let directory = try TestEnvironment.temporaryDirectory()
        let killed = try RunningCommand(["nightly", "--date", "2026-11-15", "--output-dir", directory],
                                        environment: ["KEEN_REPORTS_CATALOG": catalog,
                                                      "KEEN_DATABASE_URL": try TestEnvironment.databaseURL(adding: "application_name=keen_fault_sigkill")])
        // Wait until the day's staging folder holds finished reports and the endless one's temporary file.
        var staging: String?
        for _ in 0..<200 {
            staging = try TestEnvironment.entries(directory).first { $0.contains(".staging-") }
            if let staging, try TestEnvironment.entries(directory + "/" + staging).contains(where: { $0.hasSuffix(".tmp") }),
               try TestEnvironment.entries(directory + "/" + staging).count >= 3 { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        killed.signal(SIGKILL)
        _ = killed.wait()
        _ = try TestEnvironment.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'keen_fault_sigkill'")
        let left = try #require(staging)
        #expect(try TestEnvironment.entries(directory + "/" + left).count >= 3, "the killed run left partial files")

        let next = try runKeenReports(["nightly", "--date", "2026-11-16", "--output-dir", directory])
        #expect(next.status == 0, "\(next.stderr)")
        #expect(next.stderr.contains("removed") && next.stderr.contains(left), "\(next.stderr)")
        let everything = FileManager.default.enumerator(atPath: directory)?.allObjects.compactMap { $0 as? String } ?? []
        #expect(!everything.contains { $0.contains(".staging-") || $0.hasSuffix(".tmp") }, "\(everything)")
        #expect(everything.contains("2026-11-16/manifest.json"))
    }

    @Test(arguments: [(SIGINT, Int32(130)), (SIGTERM, Int32(143))])
    func anInterruptCancelsTheQueryAndRemovesTemporaryFiles(signal: Int32, status: Int32) throws {
        let application = "keen_fault_signal_\(signal)"
        let directory = try TestEnvironment.temporaryDirectory()
        let command = try Self.startEndlessExport(application: application, into: directory)
        command.signal(signal)
        let result = command.wait()
        #expect(result.status == status, "\(result.stderr)")
        #expect(try TestEnvironment.entries(directory).isEmpty, "temporary files removed")
        // The server stopped the query: nothing of ours is still active.
        var active = 1
        for _ in 0..<60 where active > 0 {
            active = Int(try TestEnvironment.query("SELECT count(*) FROM pg_stat_activity WHERE application_name = $1 AND state = 'active'",
                                                   [application])[0][0]!)!
            if active > 0 { Thread.sleep(forTimeInterval: 0.1) }
        }
        #expect(active == 0, "the query was cancelled on the server")
    }

    @Test func aStatementTimeoutIs70NamingTheReport() throws {
        let catalog = try TestEnvironment.catalogWith([("sleepy", "SELECT 1::int8 AS n FROM pg_sleep(5)")])
        let directory = try TestEnvironment.temporaryDirectory()
        let started = Date()
        let result = try runKeenReports(["run", "sleepy", "--from", "2026-11-01", "--to", "2026-11-02", "--output-dir", directory,
                                         "--statement-timeout", "300ms"], environment: ["KEEN_REPORTS_CATALOG": catalog])
        #expect(result.status == 70)
        #expect(result.stderr.contains("report sleepy") && result.stderr.contains("statement timeout"), "\(result.stderr)")
        #expect(Date().timeIntervalSince(started) < 4)
        #expect(try TestEnvironment.entries(directory).isEmpty)
    }

    @Test func aQueryThatWritesIsRefusedWith70() throws {
        let catalog = try TestEnvironment.catalogWith([
            ("deleter", "WITH gone AS (DELETE FROM users RETURNING 1) SELECT count(*)::int8 AS n FROM gone"),
            ("updater", "WITH changed AS (UPDATE credit_accounts SET current_balance = 0 RETURNING 1) SELECT count(*)::int8 AS n FROM changed"),
            ("sequencer", "SELECT nextval('audit_log_id_seq')::int8 AS n"),
        ])
        let before = try Self.tableCounts()
        for report in ["deleter", "updater", "sequencer"] {
            let directory = try TestEnvironment.temporaryDirectory()
            let result = try runKeenReports(["run", report, "--from", "2026-11-01", "--to", "2026-11-02", "--output-dir", directory],
                                            environment: ["KEEN_REPORTS_CATALOG": catalog])
            #expect(result.status == 70, "\(report): \(result.stderr)")
            #expect(result.stderr.contains("read-only"), "\(report): \(result.stderr)")
            #expect(try TestEnvironment.entries(directory).isEmpty)
        }
        #expect(try Self.tableCounts() == before)
    }

    @Test func anOutputFolderThatCannotBeMadeIs73() throws {
        let file = try TestEnvironment.temporaryDirectory() + "/a-file"
        try "x".write(toFile: file, atomically: true, encoding: .utf8)
        for directory in ["/dev/null/reports", file] {
            let result = try runKeenReports(["run", "cost_per_tool", "--from", "2026-11-01", "--to", "2026-11-02", "--output-dir", directory])
            #expect(result.status == 73, "\(directory): \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1)
        }
    }

    @Test func aFullDiskIs73AndLeavesNoPartialFile() throws {
        // A 256 KiB tmpfs; session_usage over the whole data is megabytes.
        let directory = try TestEnvironment.temporaryDirectory()
        let unmount = try TestEnvironment.mountSmallDisk(at: directory, size: "256k")
        defer { unmount() }
        for format in ["csv,json", "xlsx"] {
            let result = try runKeenReports(["run", "cost_per_tool", "session_usage", "--from", "2026-10-01", "--to", "2026-12-01",
                                             "--output-dir", directory, "--format", format])
            #expect(result.status == 73, "\(format): \(result.stderr)")
            #expect(result.stderr.contains("No space left"), "\(format): \(result.stderr)")
            #expect(try TestEnvironment.entries(directory).isEmpty, "\(format): no partial file, no temporary file")
        }
    }

    @Test func aTenantRunAsApplicationUserSeesOnlyItsRows() throws {
        _ = try TestEnvironment.query("""
            DO $$ BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'keen_tenant_reader') THEN
                    CREATE ROLE keen_tenant_reader LOGIN IN ROLE application_user;
                END IF;
            END $$
            """)
        let users = try TestEnvironment.query("SELECT user_id::text FROM agent_sessions WHERE parent_session_id IS NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 2")
        #expect(users.count == 2, "two customers' data present")
        let tenant = try #require(users[0][0])
        let tenantURL = try TestEnvironment.databaseURL().replacingOccurrences(of: "postgresql://postgres@", with: "postgresql://keen_tenant_reader@")
        let catalog = try TestEnvironment.catalog()
        // The roll-forward reads the whole ledger, which no policy opens to
        // the role: 77, never a silently partial liability.
        let ledger = try runKeenReports(["run", "ledger_rollforward", "--from", "2026-10-20", "--to", "2026-12-01", "--user-id", tenant,
                                         "--output-dir", try TestEnvironment.temporaryDirectory()],
                                        environment: ["KEEN_DATABASE_URL": tenantURL])
        #expect(ledger.status == 77 && ledger.stderr.contains("credit_"), "\(ledger.stderr)")
        // system_health is platform-wide: with --user-id it is a usage error (RealtimeReportsTests).
        let reports = catalog.reports.filter { $0.name != "ledger_rollforward" && $0.platformWide != true }.map(\.name)
        let asTenant = try TestEnvironment.temporaryDirectory()
        let result = try runKeenReports(["run"] + reports + ["--from", "2026-10-20", "--to", "2026-12-01", "--user-id", tenant,
                                                             "--output-dir", asTenant, "--format", "csv"],
                                        environment: ["KEEN_DATABASE_URL": tenantURL])
        #expect(result.status == 0, "\(result.stderr)")
        // The same reports as the owner, filtered by --user-id only, agree.
        let asOwner = try TestEnvironment.run(reports, from: "2026-10-20", to: "2026-12-01", userID: tenant)
        for output in catalog.reports.filter({ reports.contains($0.name) }).flatMap(\.outputs) {
            let tenantRows = try TestEnvironment.csv(asTenant + "/\(output.name).csv")
            #expect(tenantRows == (try TestEnvironment.csv(asOwner + "/\(output.name).csv")), "\(output.name)")
            if let column = tenantRows.first?.firstIndex(of: "user_id") {
                #expect(tenantRows.dropFirst().allSatisfy { $0[column] == tenant }, "\(output.name) holds only the tenant's rows")
            }
        }
        #expect(try TestEnvironment.csv(asTenant + "/session_usage.csv").count > 1)
        // Row-level security, not only the filter: without a tenant the role sees no sessions.
        let connection = try PostgresConnection(ConnectionSettings(conninfo: tenantURL))
        try connection.execute("SELECT set_config('app.current_user_id', $1, false)", [tenant])
        #expect(try connection.execute("SELECT count(DISTINCT user_id) FROM agent_sessions").value(0, 0) == "1")
    }

    @Test func anEmptyDatabaseGivesWellFormedFiles() throws {
        let url = try #require(ProcessInfo.processInfo.environment["KEEN_TEST_EMPTY_URL"], "set by scripts/test")
        let directory = try TestEnvironment.temporaryDirectory()
        let catalog = try TestEnvironment.catalog()
        let result = try runKeenReports(["run"] + catalog.reports.map(\.name) + ["--from", "2026-11-01", "--to", "2026-11-02",
                                                                                 "--output-dir", directory],
                                        environment: ["KEEN_DATABASE_URL": url])
        #expect(result.status == 0, "\(result.stderr)")
        for output in catalog.reports.flatMap(\.outputs) {
            let rows = try TestEnvironment.csv(directory + "/\(output.name).csv")
            #expect(rows.first == output.columns.map(\.name))
            let json = try TestEnvironment.json(directory + "/\(output.name).json")
            #expect(json["row_count"] as? Int == rows.count - 1)
            switch output.name {
            case "dashboard_metrics":
                #expect(rows.count == 25 && rows.dropFirst().allSatisfy { $0[1] == "0" && $0[8] == "" && $0[9] == "0" })
            case "phase_time_breakdown":
                #expect(rows.dropFirst().map { $0[0] } == ["EXPLORE", "PLAN", "FOUND", "SUMMON", "COMPLETE"])
                #expect(rows.dropFirst().allSatisfy { $0[1] == "0" && $0[4] == "" && $0[7] == "" })
            case "system_health":
                #expect(rows.count == 25 && rows.dropFirst().allSatisfy { $0[1] == "0" && $0[2...].allSatisfy(\.isEmpty) })
            case "ledger_rollforward":
                #expect(rows.count == 2 && rows[1] == ["2026-11-01"] + Array(repeating: "0.0000", count: 9) + ["0"])
            default:
                #expect(rows.count == 1, "\(output.name): header only")
            }
        }
        let reconcile = try runKeenReports(["reconcile", "--from", "2026-11-01", "--to", "2026-11-02", "--output-dir", directory],
                                           environment: ["KEEN_DATABASE_URL": url])
        #expect(reconcile.status == 0, "\(reconcile.stderr)")
    }
}

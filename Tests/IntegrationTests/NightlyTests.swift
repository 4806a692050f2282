import Foundation
import Logging
import Testing
@testable import KeenReports

/// The nightly run: manifest, reruns, the lock, failure isolation, backfill
/// and the shared snapshot.
@Suite(.serialized) struct NightlyTests {
    static let day = CivilDate("2026-11-15")!

    static func nightly(_ dates: [CivilDate], url: String? = nil, jobs: Int = 2, catalog: ReportCatalog? = nil,
                        into directory: String? = nil, metricsFile: String? = nil,
                        formats: Set<OutputOptions.Format> = OutputOptions.Format.defaults,
                        afterSnapshot: (@Sendable () throws -> Void)? = nil) throws -> (KeenReports.ExitStatus, String) {
        let directory = try directory ?? TestEnvironment.temporaryDirectory()
        var runner = NightlyRunner(catalog: try catalog ?? TestEnvironment.catalog(), log: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        runner.afterSnapshot = afterSnapshot
        let options = NightlyRunner.Options(dates: dates, zone: .utc, jobs: jobs, formats: formats, outputDirectory: directory,
                                            metricsFile: metricsFile,
                                            connection: ConnectionSettings(conninfo: try url ?? TestEnvironment.databaseURL()))
        return (try runner.run(options), directory)
    }

    static func manifest(_ folder: String) throws -> [String: Any] {
        try TestEnvironment.json(folder + "/manifest.json")
    }

    /// sha256sum's digest, an implementation independent of the engine's.
    static func sha256sum(_ path: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return String(output.prefix(64))
    }

    @Test func writesEveryReportAndAManifestThatDescribesThem() throws {
        let metrics = try TestEnvironment.temporaryDirectory() + "/keen.prom"
        let (status, directory) = try Self.nightly([Self.day], metricsFile: metrics, formats: Set(OutputOptions.Format.allCases))
        #expect(status == .clean)
        let folder = directory + "/2026-11-15"
        let manifest = try Self.manifest(folder)
        #expect(manifest["date"] as? String == "2026-11-15")
        #expect(manifest["exit_status"] as? Int == 0)
        #expect((manifest["snapshot"] as? String)?.isEmpty == false)
        #expect((manifest["window"] as? [String: String])?["from"] == "2026-11-15T00:00:00Z")
        let reports = try #require(manifest["reports"] as? [[String: Any]])
        let expectedReports = try TestEnvironment.catalog().reports.filter(\.nightly).map(\.name) + ["reconciliation"]
        #expect(Set(reports.compactMap { $0["name"] as? String }) == Set(expectedReports))
        #expect(reports.allSatisfy { $0["status"] as? String == "ok" })
        let files = try #require(manifest["files"] as? [[String: Any]])
        let onDisk = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0 != "manifest.json" && $0 != "index.html" }
        #expect(Set(files.compactMap { $0["name"] as? String }) == Set(onDisk))
        for file in files {
            let name = try #require(file["name"] as? String)
            let path = folder + "/" + name
            #expect(file["sha256"] as? String == (try Self.sha256sum(path)), "\(name) digest")
            let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int
            #expect(file["bytes"] as? Int == size, "\(name) bytes")
            if name.hasSuffix(".csv") {
                #expect(file["rows"] as? Int == (try TestEnvironment.csv(path).count - 1), "\(name) rows")
                // The workbook of every output is listed, with the same rows.
                let workbook = files.first { $0["name"] as? String == name.replacingOccurrences(of: ".csv", with: ".xlsx") }
                    ?? files.first { $0["name"] as? String == "reconciliation.xlsx" }
                #expect(workbook?["rows"] as? Int == file["rows"] as? Int, "\(name) workbook rows")
            }
        }
        #expect(onDisk.filter { $0.hasSuffix(".xlsx") }.count == onDisk.filter { $0.hasSuffix(".csv") }.count)
        let text = try String(contentsOfFile: metrics, encoding: .utf8)
        #expect(text.contains("keen_reports_nightly_exit_status 0"))
        #expect(text.contains("keen_reports_report_success{report=\"session_usage\"} 1"))
        #expect(text.contains("keen_reports_reconciliation_discrepancies{type=\"CHAIN_BREAK\"} 0"))
        #expect(text.contains("keen_reports_nightly_last_success_timestamp_seconds "))
    }

    @Test func aRerunReplacesTheDayWholeWithIdenticalReports() throws {
        let (_, directory) = try Self.nightly([Self.day])
        let folder = directory + "/2026-11-15"
        let first = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".csv") }
            .map { ($0, try Data(contentsOf: URL(fileURLWithPath: folder + "/" + $0))) }
        try "left over".write(toFile: folder + "/stray.txt", atomically: true, encoding: .utf8)
        let (status, _) = try Self.nightly([Self.day], into: directory)
        #expect(status == .clean)
        #expect(!FileManager.default.fileExists(atPath: folder + "/stray.txt"), "the old folder is replaced whole")
        for (name, data) in first {
            #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name)) == data, "\(name) is byte-identical")
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.contains("staging") }
        #expect(leftovers.isEmpty)
    }

    @Test func aFailingReportFailsAloneWithExit70() throws {
        // A catalogue with one report whose query fails.
        let root = try TestEnvironment.temporaryDirectory()
        try FileManager.default.copyItem(atPath: TestEnvironment.packageRoot.path + "/queries", toPath: root + "/queries")
        try FileManager.default.copyItem(atPath: TestEnvironment.packageRoot.path + "/reports", toPath: root + "/reports")
        try "-- name: broken\n-- Divides by zero.\nSELECT (1 / 0)::int8 AS n\n".write(toFile: root + "/queries/broken.sql", atomically: true, encoding: .utf8)
        try """
            {"name": "broken", "summary": "fails", "queries": ["broken"], "nightly": true,
             "outputs": [{"name": "broken", "columns": [{"name": "n", "type": "integer", "meaning": ""}]}]}
            """.write(toFile: root + "/reports/broken.json", atomically: true, encoding: .utf8)
        let catalog = try ReportCatalog(directory: URL(fileURLWithPath: root))
        let (status, directory) = try Self.nightly([Self.day], jobs: 1, catalog: catalog)
        #expect(status == .engineFailure)
        let folder = directory + "/2026-11-15"
        let reports = try #require(try Self.manifest(folder)["reports"] as? [[String: Any]])
        let broken = try #require(reports.first { $0["name"] as? String == "broken" })
        #expect(broken["status"] as? String == "failed")
        #expect((broken["error"] as? String)?.contains("division by zero") == true)
        #expect(reports.filter { $0["status"] as? String == "ok" }.count == reports.count - 1, "every other report ran")
        #expect(!FileManager.default.fileExists(atPath: folder + "/broken.csv"))
        #expect(FileManager.default.fileExists(atPath: folder + "/session_usage.csv"))
        #expect(try Self.manifest(folder)["exit_status"] as? Int == 70)
    }

    @Test func backfillsOneFolderPerDay() throws {
        let days = ["2026-11-05", "2026-11-06", "2026-11-07"].map { CivilDate($0)! }
        let (status, directory) = try Self.nightly(days)
        #expect(status == .clean)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).filter { !$0.hasPrefix(".") }.sorted()
                == days.map(\.description) + ["index.html"])
        for day in days {
            let window = try #require(try Self.manifest(directory + "/\(day)")["window"] as? [String: String])
            #expect(window["from"] == "\(day)T00:00:00Z" && window["to"] == "\(day.adding(days: 1))T00:00:00Z")
        }
    }

    @Test func everyReportSeesTheSnapshotNotALaterWrite() throws {
        let url = try #require(ProcessInfo.processInfo.environment["KEEN_TEST_SCRATCH_URL"], "set by scripts/test")
        let scratch = ConnectionSettings(conninfo: url)
        let probe = "ses-snapshot-probe"
        let user = try #require(try PostgresConnection(scratch).execute("SELECT id::text FROM users ORDER BY id LIMIT 1").value(0, 0))
        defer {
            _ = try? PostgresConnection(scratch).execute("DELETE FROM agent_sessions WHERE session_id = $1", [probe])
        }
        // Written once the snapshot is exported, before any report runs; every
        // report runs on its own connection (jobs 9), all but one of them
        // importing the snapshot.
        let (status, directory) = try Self.nightly([Self.day], url: url, jobs: 9, afterSnapshot: {
            let connection = try PostgresConnection(scratch)
            try connection.execute("""
                WITH s AS (
                    INSERT INTO agent_sessions (user_id, session_id, git_branch, vision, working_directory, start_time, end_time,
                                                total_cost, tokens_used, execution_status)
                    VALUES ($1::uuid, $2, 'probe', 'probe', '/probe', '2026-11-15 12:00:00+00', '2026-11-15 12:30:00+00', 5, 1000, 'completed')
                    RETURNING id, user_id
                )
                INSERT INTO tool_executions (session_id, user_id, tool_name, execution_time_ms, success, execution_timestamp)
                SELECT id, user_id, 'snapshot_probe', 10, true, '2026-11-15 12:01:00+00' FROM s
                """, [user, probe])
        })
        #expect(status == .clean, "the probe session is unbilled, but the reconciliation must not see it either")
        let folder = directory + "/2026-11-15"
        #expect(try PostgresConnection(scratch).execute("SELECT count(*) FROM agent_sessions WHERE session_id = $1", [probe]).value(0, 0) == "1",
                "the write was committed during the run")
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) where name.hasSuffix(".csv") {
            let text = try String(contentsOfFile: folder + "/" + name, encoding: .utf8)
            #expect(!text.contains(probe) && !text.contains("snapshot_probe"), "\(name) saw the later write")
        }
        let reports = try #require(try Self.manifest(folder)["reports"] as? [[String: Any]])
        #expect(reports.allSatisfy { $0["status"] as? String == "ok" })
        // The same day's dashboard, reported now, does see it.
        let after = try TestEnvironment.temporaryDirectory()
        let parameters = try ReportParameters(window: ReportWindow(days: Self.day, through: Self.day, zone: .utc))
        let catalog = try TestEnvironment.catalog()
        _ = try ReportRunner(catalog: catalog).run([try catalog.report(named: "session_usage")], parameters: parameters,
                                                   connection: scratch, output: OutputOptions(directory: after))
        #expect(try String(contentsOfFile: after + "/session_usage.csv", encoding: .utf8).contains(probe))
    }

    @Test func aSecondRunOnTheSameFolderExits75AtOnce() throws {
        let directory = try TestEnvironment.temporaryDirectory()
        let lockPath = directory + "/.keen-reports-nightly.lock"
        let descriptor = open(lockPath, O_RDWR | O_CREAT, 0o640)
        #expect(flock(descriptor, LOCK_EX | LOCK_NB) == 0)
        let started = Date()
        let blocked = try runKeenReports(["nightly", "--date", "2026-11-15", "--output-dir", directory])
        #expect(blocked.status == 75, "\(blocked.stderr)")
        #expect(blocked.stderr.contains("another nightly run") && blocked.stderr.split(separator: "\n").count == 1)
        #expect(Date().timeIntervalSince(started) < 5)
        // A lock file left behind by a crashed run (no process holds it) does not block.
        flock(descriptor, LOCK_UN)
        close(descriptor)
        let free = try runKeenReports(["nightly", "--date", "2026-11-15", "--output-dir", directory, "--log-format", "json"])
        #expect(free.status == 0, "\(free.stderr)")
        let lines = free.stderr.split(separator: "\n")
        #expect(lines.count >= 9)
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["event"] != nil, "a JSON log line: \(line)")
        }
    }

    @Test func rejectsBadDays() throws {
        for arguments in [["--date", "2026-02-30"], ["--from-date", "2026-11-05"], ["--from-date", "2026-11-07", "--to-date", "2026-11-05"],
                          ["--date", "2026-11-05", "--from-date", "2026-11-05", "--to-date", "2026-11-06"], ["--jobs", "0"]] {
            let result = try runKeenReports(["nightly", "--output-dir", try TestEnvironment.temporaryDirectory()] + arguments)
            #expect(result.status == 64, "\(arguments): \(result.stderr)")
        }
    }
}

import Foundation
import Testing
@testable import KeenReports

/// The command line end to end: the built executable, its exit statuses and
/// its one-line errors.
@Suite struct CommandLineTests {
    @Test func listsAndDescribesReports() throws {
        let list = try runKeenReports(["list"])
        #expect(list.status == 0)
        #expect(list.stdout.contains("cost_per_tool"))
        let json = try runKeenReports(["list", "--json"])
        let parsed = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]]
        #expect(parsed?.contains { $0["name"] as? String == "cost_per_tool" } == true)
        let describe = try runKeenReports(["describe", "cost_per_tool"])
        #expect(describe.status == 0)
        for text in ["from  timestamptz", "user_id  uuid, optional", "p95_execution_ms  decimal(3)", "FROM tool_executions"] {
            #expect(describe.stdout.contains(text), "describe shows \(text)")
        }
    }

    @Test func runWritesTheFilesAndSaysWhere() throws {
        let directory = try TestEnvironment.temporaryDirectory()
        let result = try runKeenReports(["run", "cost_per_tool", "--from", "2026-11-01", "--to", "2026-11-08",
                                         "--output-dir", directory, "--format", "csv"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains(directory + "/cost_per_tool.csv"))
        #expect(FileManager.default.fileExists(atPath: directory + "/cost_per_tool.csv"))
        #expect(!FileManager.default.fileExists(atPath: directory + "/cost_per_tool.json"))
    }

    @Test(arguments: [
        (["run", "cost_per_tool", "--from", "2026-13-01", "--to", "2026-11-08"], "--from"),
        (["run", "cost_per_tool", "--from", "2026-11-08", "--to", "2026-11-01"], "--to must be after --from"),
        (["run", "cost_per_tool", "--from", "2026-11-01", "--to", "2026-11-08", "--tz", "Mars/Base"], "--tz"),
        (["run", "cost_per_tool", "--from", "2026-11-01", "--to", "2026-11-08", "--tz", "GMT+5"], "--tz"),
        // Known to this machine's time zone data, not to PostgreSQL's.
        (["run", "cost_per_tool", "--from", "2026-11-01", "--to", "2026-11-08", "--tz", "US/Pacific-New"], "--tz"),
        (["run", "cost_per_tool", "--from", "2026-11-01", "--to", "2026-11-08", "--user-id", "' OR 1=1 --"], "--user-id"),
        (["run", "no_such_report", "--from", "2026-11-01", "--to", "2026-11-08"], "unknown report 'no_such_report'"),
        (["run", "cost_per_tool", "--from", "2026-11-01", "--to", "2026-11-08", "--bogus"], "--bogus"),
        (["run", "cost_per_tool", "--from", "2026-11-01", "--to", "2026-11-08", "--format", "xml"], "xml"),
        (["run", "cost_per_tool", "--from", "2026-11-01", "--to", "2026-11-08", "--statement-timeout", "soon"], "--statement-timeout"),
        (["describe", "no_such_report"], "unknown report"),
        (["frobnicate"], "frobnicate"),
    ])
    func rejectsBadUsageWithOneLineAnd64(arguments: [String], mentions: String) throws {
        let directory = try TestEnvironment.temporaryDirectory()
        let result = try runKeenReports(arguments.first == "run" ? arguments + ["--output-dir", directory] : arguments)
        #expect(result.status == 64, "\(arguments): \(result.stderr)")
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "one line: \(result.stderr)")
        #expect(result.stderr.contains(mentions), "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty, "nothing written")
    }

    @Test func anUnreachableDatabaseIs69WithoutThePassword() throws {
        let directory = try TestEnvironment.temporaryDirectory()
        let secret = "s3cr3t-Pa55word"
        for url in ["postgresql://keen:\(secret)@127.0.0.1:1/keen",
                    "host=127.0.0.1 port=1 user=keen password=\(secret) dbname=keen"] {
            let result = try runKeenReports(["run", "cost_per_tool", "--from", "2026-11-01", "--to", "2026-11-08",
                                             "--output-dir", directory, "--database-url", url])
            #expect(result.status == 69, "\(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1)
            #expect(!result.stderr.contains(secret) && !result.stdout.contains(secret))
            #expect(result.stderr.contains("cannot connect"))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
    }

    @Test func aWrongPasswordIs69WithoutThePassword() throws {
        // Over TCP every role needs its password (scripts/pg).
        let port = try #require(URL(string: try TestEnvironment.databaseURL())?.port)
        _ = try TestEnvironment.query("""
            DO $$ BEGIN
                IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'keen_password_test') THEN
                    CREATE ROLE keen_password_test LOGIN PASSWORD 'the-right-one';
                END IF;
            END $$
            """)
        let secret = "wr0ng-'secret;\\"
        let encoded = try #require(secret.addingPercentEncoding(withAllowedCharacters: .alphanumerics))
        let result = try runKeenReports(["run", "cost_per_tool", "--from", "2026-11-01", "--to", "2026-11-08",
                                         "--output-dir", try TestEnvironment.temporaryDirectory(),
                                         "--database-url", "postgresql://keen_password_test:\(encoded)@127.0.0.1:\(port)/keen_test"])
        #expect(result.status == 69, "\(result.stderr)")
        #expect(result.stderr.contains("password authentication failed"), "\(result.stderr)")
        #expect(!result.stderr.contains(secret) && !result.stderr.contains(encoded))
    }
}

import Foundation
import Testing
@testable import KeenReports

/// `keen-reports check` against real setups: each role made with the
/// README's statements (RowSecurityTests' and LedgerMarkingTests' copies of
/// them), a real lock, a real folder, a real export. Each failure exits as
/// the checked command itself would, and names what to do; nothing is ever
/// written.
@Suite(.serialized) struct CheckTests {
    static let day = ["--date", "2026-11-15"]

    static func check(_ arguments: [String], url: String? = nil) throws -> CommandResult {
        try runKeenReports(["check"] + arguments, environment: url.map { ["KEEN_DATABASE_URL": $0] } ?? [:])
    }

    /// The line of `check` named `name` (its first), with its fix.
    static func line(_ result: CommandResult, _ name: String) -> String {
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let index = lines.firstIndex(where: { $0.dropFirst(6).hasPrefix(name + ":") }) else { return "" }
        return lines[index] + (index + 1 < lines.count && lines[index + 1].hasPrefix("      fix:") ? "\n" + lines[index + 1] : "")
    }

    @Test func theREADMEsRolesPass() throws {
        let reporting = try RowSecurityTests.role(RowSecurityTests.reporting, for: TestEnvironment.databaseURL())
        let nightly = try Self.check(["nightly", "--output-dir", try TestEnvironment.temporaryDirectory() + "/night"] + Self.day, url: reporting)
        #expect(nightly.status == 0, "\(nightly.stdout)\(nightly.stderr)")
        #expect(Self.line(nightly, "table agent_sessions").hasPrefix("ok "), "\(nightly.stdout)")
        #expect(Self.line(nightly, "connection").contains("keen_reports@"), "\(nightly.stdout)")
        #expect(!nightly.stdout.contains("FAIL"))
        // The default command is nightly.
        let byDefault = try Self.check(["--output-dir", try TestEnvironment.temporaryDirectory()] + Self.day, url: reporting)
        #expect(byDefault.status == 0 && Self.line(byDefault, "nightly lock").hasPrefix("ok "), "\(byDefault.stdout)")

        let marking = try LedgerMarkingTests.role(LedgerMarkingTests.reconciler, application: "keen_check_test")
        let mark = try Self.check(["reconcile", "--mark", "--stripe-export", try LedgerMarkingTests.stripe,
                                   "--output-dir", try TestEnvironment.temporaryDirectory()] + LedgerMarkingTests.window, url: marking)
        #expect(mark.status == 0, "\(mark.stdout)\(mark.stderr)")
        #expect(Self.line(mark, "privilege").hasPrefix("ok    privilege: UPDATE (reconciliation_status) ON credit_transactions"), "\(mark.stdout)")
        #expect(Self.line(mark, "stripe export").hasPrefix("ok "), "\(mark.stdout)")
    }

    @Test func aRoleRowSecurityFiltersFailsWith77NamingTheTable() throws {
        let url = try RowSecurityTests.role(RowSecurityTests.withoutBypass, for: TestEnvironment.databaseURL())
        let result = try Self.check(["nightly", "--output-dir", try TestEnvironment.temporaryDirectory()] + Self.day, url: url)
        #expect(result.status == 77, "\(result.stdout)\(result.stderr)")
        #expect(Self.line(result, "table agent_sessions").hasPrefix("FAIL  table agent_sessions: row-level security filters table agent_sessions"), "\(result.stdout)")
        #expect(Self.line(result, "table tool_executions").hasPrefix("ok "), "\(result.stdout)")
        // Every check is still made and printed, not only the first failure.
        #expect(Self.line(result, "table credit_transactions").hasPrefix("FAIL "), "\(result.stdout)")
    }

    @Test func aMissingSelectFailsWith77AndTheGrantToRun() throws {
        let url = try RowSecurityTests.role(RowSecurityTests.missingGrant, for: TestEnvironment.databaseURL())
        let result = try Self.check(["run", "cost_per_tool", "--from", "2026-11-10", "--to", "2026-11-20"], url: url)
        #expect(result.status == 77, "\(result.stdout)\(result.stderr)")
        #expect(Self.line(result, "table tool_executions").contains("GRANT SELECT ON tool_executions TO keen_reports_partial"), "\(result.stdout)")
    }

    @Test func markingWithoutTheColumnPrivilegeFailsWith77() throws {
        let url = try LedgerMarkingTests.role(LedgerMarkingTests.withoutUpdate, application: "keen_check_test")
        let arguments = ["reconcile", "--stripe-export", try LedgerMarkingTests.stripe, "--output-dir", try TestEnvironment.temporaryDirectory()]
            + LedgerMarkingTests.window
        let result = try Self.check(arguments + ["--mark"], url: url)
        #expect(result.status == 77, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("FAIL  privilege: role keen_reconciler_readonly lacks UPDATE (reconciliation_status) ON credit_transactions"),
                "\(result.stdout)")
        // A dry run writes nothing to the database, so it needs no privilege to write, as the command itself.
        #expect(try Self.check(arguments + ["--mark", "--dry-run"], url: url).status == 0)
    }

    @Test func anUnreachableServerIs69AndNoPasswordIsPrinted() throws {
        let result = try Self.check(["nightly", "--output-dir", try TestEnvironment.temporaryDirectory()] + Self.day,
                                    url: "postgresql://keen:s3cret-pw@127.0.0.1:1/keen?connect_timeout=2")
        #expect(result.status == 69, "\(result.stdout)\(result.stderr)")
        #expect(Self.line(result, "connection").hasPrefix("FAIL "), "\(result.stdout)")
        #expect(!result.stdout.contains("s3cret-pw") && !result.stderr.contains("s3cret-pw"))
        // The checks that need no server are still made.
        #expect(Self.line(result, "output folder").hasPrefix("ok "), "\(result.stdout)")
    }

    @Test func anOutputFolderUnderAFileIs73() throws {
        let file = try TestEnvironment.temporaryDirectory() + "/a-file"
        #expect(FileManager.default.createFile(atPath: file, contents: Data("x".utf8)))
        let result = try Self.check(["nightly", "--output-dir", file + "/reports"] + Self.day)
        #expect(result.status == 73, "\(result.stdout)\(result.stderr)")
        #expect(Self.line(result, "output folder").contains("\(file) is a file"), "\(result.stdout)")
    }

    @Test func aHeldLockIs75() throws {
        let directory = try TestEnvironment.temporaryDirectory()
        var lock: RunLock? = try RunLock(directory: directory)
        let result = try Self.check(["nightly", "--output-dir", directory] + Self.day)
        #expect(result.status == 75, "\(result.stdout)\(result.stderr)")
        #expect(Self.line(result, "nightly lock").contains("another nightly run holds the lock"), "\(result.stdout)")
        #expect(lock != nil)
        lock = nil
        #expect(try Self.check(["nightly", "--output-dir", directory] + Self.day).status == 0)
    }

    @Test func aDamagedCloseIs65BeforeTheNightFailsOnIt() throws {
        let directory = try TestEnvironment.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory + "/closes", withIntermediateDirectories: true)
        try Data("{\"close\": \"2026-10\"".utf8).write(to: URL(fileURLWithPath: directory + "/closes/2026-10.json"))
        let result = try Self.check(["nightly", "--output-dir", directory] + Self.day)
        #expect(result.status == 65, "\(result.stdout)\(result.stderr)")
        #expect(Self.line(result, "closed months").contains("2026-10.json"), "\(result.stdout)")
    }

    @Test func aMalformedStripeExportIs65() throws {
        let export = try TestEnvironment.temporaryDirectory() + "/export.csv"
        try Data("id,Amount\n\"unterminated,1\n".utf8).write(to: URL(fileURLWithPath: export))
        let result = try Self.check(["reconcile", "--from", "2026-11-10", "--to", "2026-11-20", "--stripe-export", export])
        #expect(result.status == 65, "\(result.stdout)\(result.stderr)")
        #expect(Self.line(result, "stripe export").hasPrefix("FAIL "), "\(result.stdout)")
    }

    @Test func aStatementTimeoutShorterThanLastNightsLongestReportWarns() throws {
        let directory = try TestEnvironment.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory + "/2026-11-14", withIntermediateDirectories: true)
        let manifest = #"{"reports": [{"name": "session_usage", "duration_ms": 4200}, {"name": "cost_per_tool", "duration_ms": 9800}]}"#
        try Data(manifest.utf8).write(to: URL(fileURLWithPath: directory + "/2026-11-14/manifest.json"))
        let short = try Self.check(["nightly", "--output-dir", directory, "--statement-timeout", "5s", "--json"] + Self.day)
        #expect(short.status == 0, "\(short.stdout)\(short.stderr)")
        let objects = short.stdout.split(separator: "\n").map { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(!objects.isEmpty && objects.allSatisfy { $0 != nil }, "\(short.stdout)")
        let timeout = objects.compactMap { $0 }.first { $0["check"] as? String == "statement timeout" }
        #expect(timeout?["result"] as? String == "warn")
        #expect((timeout?["detail"] as? String)?.contains("cost_per_tool took on 2026-11-14 (9.8 s)") == true, "\(short.stdout)")
        let long = try Self.check(["nightly", "--output-dir", directory, "--statement-timeout", "1min"] + Self.day)
        #expect(!long.stdout.contains("statement timeout"), "\(long.stdout)")
    }

    /// A query that names a column the server's schema lacks, and a report
    /// whose query renamed its column, each fail as the run would (70),
    /// naming the query; the rest of the catalogue still prepares.
    @Test func aQueryTheServerCannotPrepareOrThatLostItsColumnIs70() throws {
        let catalog = try TestEnvironment.catalogWith([("renamed", "SELECT 1::int8 AS m"),
                                                       ("drifted", "SELECT count(no_such_column)::int8 AS n FROM users")])
        let window = ["--from", "2026-11-10", "--to", "2026-11-20"]
        let result = try Self.check(["run", "renamed", "drifted", "cost_per_tool", "--catalog", catalog] + window)
        #expect(result.status == 70, "\(result.stdout)\(result.stderr)")
        #expect(Self.line(result, "query renamed") == "FAIL  query renamed: it returns the columns m; report renamed writes n", "\(result.stdout)")
        #expect(Self.line(result, "query drifted").hasPrefix("FAIL  query drifted: query failed: ERROR:  column \"no_such_column\" does not exist"),
                "\(result.stdout)")
        #expect(!result.stdout.contains("query cost_per_tool"), "\(result.stdout)")
        let fine = try Self.check(["run", "cost_per_tool", "--catalog", catalog] + window)
        #expect(fine.status == 0 && Self.line(fine, "queries").hasPrefix("ok    queries: 2 prepare on the server"), "\(fine.stdout)")
    }

    /// A zone this machine knows but the server does not: 64, as the run
    /// would exit, and the checks after it still run on the same connection.
    @Test func aZoneTheServerDoesNotKnowIs64() throws {
        let result = try Self.check(["run", "cost_per_tool", "--from", "2026-11-10", "--to", "2026-11-20", "--tz", "US/Pacific-New"])
        #expect(result.status == 64, "\(result.stdout)\(result.stderr)")
        #expect(Self.line(result, "time zone") == """
            FAIL  time zone: 'US/Pacific-New' is not a time zone the PostgreSQL server knows
                  fix: update the server's time zone data (tzdata), or use another name
            """, "\(result.stdout)")
        #expect(Self.line(result, "table tool_executions").hasPrefix("ok "), "\(result.stdout)")
    }

    @Test func checkWritesNothing() throws {
        let admin = try TestEnvironment.databaseURL()
        let auditThrough = Int64(try TestEnvironment.count("SELECT coalesce(max(id), 0) FROM audit_log", url: admin))
        let before = try TableDigests.read(adminURL: admin, auditThrough: auditThrough)
        let parent = try TestEnvironment.temporaryDirectory()
        for arguments in [["nightly", "--output-dir", parent + "/out"] + Self.day,
                          ["run", "session_usage", "--from", "2026-11-10", "--to", "2026-11-20", "--output-dir", parent + "/out"],
                          ["reconcile", "--from", "2026-11-10", "--to", "2026-11-20", "--output-dir", parent + "/out"],
                          ["rollup"] + Self.day] {
            let result = try Self.check(arguments)
            #expect(result.status == 0, "\(arguments): \(result.stdout)\(result.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent).isEmpty)
        #expect(try TestEnvironment.count("SELECT count(*) FROM audit_log", url: admin) == (try TestEnvironment.count("SELECT count(*) FROM audit_log WHERE id <= \(auditThrough)", url: admin)))
        #expect(try TableDigests.read(adminURL: admin, auditThrough: auditThrough) == before)
    }
}

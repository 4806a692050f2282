import Foundation
import Testing
@testable import KeenReports

/// The planted data on the partitioned layout of schema/partitioned/ (made by
/// pg_partman, monthly) against the same data on plain tables: every command
/// gives the same files, and writes the same rows. A one-day night reads only
/// that day's month of the event tables.
@Suite(.serialized) struct PartitionedLayoutTests {
    static var partitioned: String { get throws { try ReconciliationTests.environment("KEEN_TEST_PARTITIONED_URL") } }
    static var plain: String { get throws { try ReconciliationTests.environment("KEEN_TEST_UNPARTITIONED_URL") } }
    static let eventTables = ["tool_executions", "phase_transitions", "git_operations", "streaming_events"]

    /// Runs keen-reports with the same arguments on both databases, each into
    /// its own folder (`{dir}` in the arguments); returns the two folders.
    static func onBoth(_ arguments: [String], expecting status: Int32 = 0) throws -> (plain: String, partitioned: String) {
        var folders: [String] = []
        for url in [try plain, try partitioned] {
            let directory = try TestEnvironment.temporaryDirectory()
            let result = try runKeenReports(arguments.map { $0.replacingOccurrences(of: "{dir}", with: directory) },
                                            environment: ["KEEN_DATABASE_URL": url])
            #expect(result.status == status, "\(arguments) on \(url): \(result.stderr)")
            folders.append(directory)
        }
        return (folders[0], folders[1])
    }

    /// Every file of the two folders (and their day folders) is the same:
    /// byte for byte, but a JSON document as values once the time it was
    /// written (and a marking run's id) is left out, and the manifest as its files with their rows
    /// and digests.
    static func expectSameFiles(_ plain: String, _ partitioned: String, _ label: String) throws {
        let names = try FileManager.default.subpathsOfDirectory(atPath: plain).filter { !$0.hasPrefix(".") && !$0.hasSuffix("index.html") }.sorted()
        #expect(names == (try FileManager.default.subpathsOfDirectory(atPath: partitioned).filter { !$0.hasPrefix(".") && !$0.hasSuffix("index.html") }.sorted()), "\(label)")
        #expect(names.contains { $0.hasSuffix(".csv") }, "\(label): no files")
        for name in names {
            let a = plain + "/" + name, b = partitioned + "/" + name
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: a, isDirectory: &isFolder), isFolder.boolValue { continue }
            if name.hasSuffix("manifest.json") {
                // A JSON file's digest covers the time it was written.
                func files(_ path: String) throws -> [String] {
                    (try TestEnvironment.json(path)["files"] as? [[String: Any]] ?? []).map { file in
                        let name = file["name"] as? String ?? "?"
                        return "\(name) \(file["rows"]!) \(name.hasSuffix(".json") ? "" : file["sha256"]!)"
                    }
                }
                #expect(try files(a) == files(b), "\(label): \(name)")
            } else if name.hasSuffix(".json"), (try? TestEnvironment.json(a)) != nil {
                func values(_ path: String) throws -> Data {
                    var object = try TestEnvironment.json(path)
                    object["generated_at"] = nil
                    object["run_id"] = nil  // a marking run's own id
                    return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
                }
                #expect(try values(a) == values(b), "\(label): \(name)")
            } else {
                #expect(FileManager.default.contents(atPath: a) == FileManager.default.contents(atPath: b), "\(label): \(name)")
            }
        }
    }

    @Test func theLayoutIsPartitionedByMonth() throws {
        for table in Self.eventTables + ["credit_transactions"] {
            let months = try TestEnvironment.count("""
                SELECT count(*) FROM pg_inherits WHERE inhparent = 'public.\(table)'::regclass
                """, url: Self.partitioned)
            #expect(months >= 4, "\(table) has \(months) partitions")
        }
        #expect(try TestEnvironment.count("SELECT count(*) FROM credit_transactions", url: Self.partitioned)
                == TestEnvironment.count("SELECT count(*) FROM credit_transactions", url: Self.plain))
    }

    @Test(arguments: [["--tz", "UTC"], ["--tz", "America/New_York", "--jobs", "2"]])
    func everyReportIsTheSame(_ options: [String]) throws {
        let reports = try TestEnvironment.catalog().reports.map(\.name)
        let (a, b) = try Self.onBoth(["run"] + reports + ["--from", "2026-10-20", "--to", "2026-11-20", "--output-dir", "{dir}"] + options)
        try Self.expectSameFiles(a, b, "run \(options)")
    }

    @Test func theReconciliationIsTheSame() throws {
        let (a, b) = try Self.onBoth(["reconcile", "--from", "2026-11-10", "--to", "2026-11-20", "--stripe-export",
                                      try RowSecurityTests.stripe, "--output-dir", "{dir}"], expecting: 1)
        try Self.expectSameFiles(a, b, "reconcile")
    }

    /// Scans of each partition of the event tables so far (sequential and
    /// index), by partition name.
    static func scans() throws -> [String: Int] {
        let rows = try TestEnvironment.query("""
            SELECT s.relname::text, (coalesce(s.seq_scan, 0) + coalesce(s.idx_scan, 0))::text
            FROM pg_stat_user_tables s JOIN pg_inherits h ON h.inhrelid = s.relid
            WHERE h.inhparent::regclass::text = ANY ($1::text[])
            """, [ArrayLiteral.text(eventTables)], url: try partitioned)
        return Dictionary(uniqueKeysWithValues: rows.map { ($0[0]!, Int($0[1]!)!) })
    }

    @Test func nightsAreTheSameAndADayReadsOnlyItsMonth() throws {
        let directories = (try TestEnvironment.temporaryDirectory(), try TestEnvironment.temporaryDirectory())
        // The first night passes over the whole ledger; the second starts from its checkpoint.
        for (date, status) in [("2026-11-15", Int32(1)), ("2026-11-16", 1)] {
            let before = try Self.scans()
            for (url, directory) in [(try Self.plain, directories.0), (try Self.partitioned, directories.1)] {
                let result = try runKeenReports(["nightly", "--date", date, "--stripe-export", try RowSecurityTests.stripe,
                                                 "--output-dir", directory], environment: ["KEEN_DATABASE_URL": url])
                #expect(result.status == status, "\(date): \(result.stderr)")
            }
            // The server counts a backend's scans when it ends; the night's have.
            Thread.sleep(forTimeInterval: 0.5)
            let after = try Self.scans()
            let read = after.filter { $0.value != before[$0.key] }.keys.sorted()
            #expect(!read.isEmpty && read.allSatisfy { $0.hasSuffix("_p2026_11") }, "\(date) read \(read)")
            #expect(Set(read.map { $0.replacingOccurrences(of: "_p2026_11", with: "") }) == Set(Self.eventTables), "\(date) read \(read)")
        }
        try Self.expectSameFiles(directories.0, directories.1, "nightly")
    }

    @Test func aMonthClosesWithTheSameDigest() throws {
        let (a, b) = try Self.onBoth(["close", "--month", "2026-11", "--accept-open", "a layout test", "--output-dir", "{dir}"])
        func digest(_ directory: String) throws -> [String] {
            let close = try TestEnvironment.json(directory + "/closes/2026-11.json")
            let rollforward = try JSONSerialization.data(withJSONObject: close["rollforward"] ?? [:], options: [.sortedKeys])
            return ["\(close["sha256"]!)", "\(close["row_count"]!)", String(decoding: rollforward, as: UTF8.self)]
        }
        #expect(try digest(a) == digest(b))
        #expect(FileManager.default.contents(atPath: a + "/closes/2026-11.rows") == FileManager.default.contents(atPath: b + "/closes/2026-11.rows"))
    }

    @Test func markingAndTheRollupWriteTheSameRows() throws {
        let (a, b) = try Self.onBoth(["reconcile", "--mark", "--from", "2026-11-10", "--to", "2026-11-20", "--stripe-export",
                                      try RowSecurityTests.stripe, "--output-dir", "{dir}"], expecting: 1)
        try Self.expectSameFiles(a, b, "reconcile --mark")
        let statuses = "SELECT md5(string_agg(id::text || reconciliation_status, ',' ORDER BY id)) FROM credit_transactions"
        #expect(try TestEnvironment.query(statuses, url: Self.plain) == TestEnvironment.query(statuses, url: Self.partitioned))
        _ = try Self.onBoth(["rollup", "--from-date", "2026-11-10", "--to-date", "2026-11-19"])
        let stats = """
            SELECT md5(string_agg((to_jsonb(s) - 'id' - 'created_at' - 'updated_at')::text, ',' ORDER BY user_id, date_bucket))
            FROM daily_usage_stats s
            """
        #expect(try TestEnvironment.query(stats, url: Self.plain)[0][0] != nil)
        #expect(try TestEnvironment.query(stats, url: Self.plain) == TestEnvironment.query(stats, url: Self.partitioned))
    }
}

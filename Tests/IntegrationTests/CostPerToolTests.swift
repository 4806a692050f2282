import Foundation
import Testing
@testable import KeenReports

/// cost_per_tool against an independent SQL computation of REPORTS.md.
@Suite struct CostPerToolTests {
    /// The spec in SQL: one row per tool, formatted as the spec writes it.
    static func expected(from: String, to: String, userID: String? = nil) throws -> [[String?]] {
        try TestEnvironment.query("""
            SELECT \(TestEnvironment.guarded("tool_name")),
                   count(*)::text,
                   count(*) FILTER (WHERE success)::text,
                   count(*) FILTER (WHERE NOT success)::text,
                   round(count(*) FILTER (WHERE success)::numeric / count(*), 4)::text,
                   round(coalesce(sum(cost), 0), 6)::text,
                   round(coalesce(sum(cost), 0) / count(*), 6)::text,
                   coalesce(sum(tokens_consumed), 0)::text,
                   round(avg(execution_time_ms), 3)::text,
                   round(percentile_cont(0.5) WITHIN GROUP (ORDER BY execution_time_ms)::numeric, 3)::text,
                   round(percentile_cont(0.95) WITHIN GROUP (ORDER BY execution_time_ms)::numeric, 3)::text,
                   round(percentile_cont(0.99) WITHIN GROUP (ORDER BY execution_time_ms)::numeric, 3)::text,
                   max(execution_time_ms)::text,
                   count(DISTINCT session_id)::text,
                   count(DISTINCT user_id)::text
            FROM tool_executions
            WHERE execution_timestamp >= $1::timestamptz AND execution_timestamp < $2::timestamptz
              AND ($3::uuid IS NULL OR user_id = $3::uuid)
            GROUP BY tool_name
            ORDER BY coalesce(sum(cost), 0) DESC, tool_name COLLATE "C"
            """, [from, to, userID])
    }

    @Test(arguments: [
        ("2026-11-01", "2026-11-08", "UTC", "2026-11-01T00:00:00Z", "2026-11-08T00:00:00Z"),
        ("2026-10-31", "2026-11-03", "America/New_York", "2026-10-31T04:00:00Z", "2026-11-03T05:00:00Z"),
        ("2026-11-02T13:30:00+01:00", "2026-11-02T18:00:00Z", "Europe/Berlin", "2026-11-02T12:30:00Z", "2026-11-02T18:00:00Z"),
    ])
    func matchesTheSpecInSQL(from: String, to: String, tz: String, fromUTC: String, toUTC: String) throws {
        let directory = try TestEnvironment.run(["cost_per_tool"], from: from, to: to, tz: tz)
        let rows = try TestEnvironment.csv(directory + "/cost_per_tool.csv")
        #expect(rows.first == ["tool_name", "executions", "successes", "failures", "success_rate", "total_cost", "avg_cost",
                               "total_tokens", "avg_execution_ms", "p50_execution_ms", "p95_execution_ms", "p99_execution_ms",
                               "max_execution_ms", "sessions", "users"])
        let expected = try Self.expected(from: fromUTC, to: toUTC)
        #expect(expected.count >= 10, "the generated data has executions in the window")
        expectSameRows(Array(rows.dropFirst()), expected, "cost_per_tool \(tz)")
    }

    /// The distinct sessions counted through many partitions (their size
    /// lowered for the test) equal the spec in SQL.
    @Test func distinctSessionsCountedThroughPartitionsAreExact() throws {
        let directory = try TestEnvironment.temporaryDirectory()
        let catalog = try TestEnvironment.catalog()
        var runner = ReportRunner(catalog: catalog)
        runner.idsPerPartition = 700
        _ = try runner.run([try catalog.report(named: "cost_per_tool")],
                           parameters: try ReportParameters(window: ReportWindow(from: "2026-10-20", to: "2026-12-01", zone: .utc)),
                           connection: try TestEnvironment.settings(), output: OutputOptions(directory: directory, formats: [.csv]))
        let rows = try TestEnvironment.csv(directory + "/cost_per_tool.csv")
        let executions = rows.dropFirst().reduce(0) { $0 + Int($1[1])! }
        #expect(executions > 10 * 700, "more than ten partitions")
        expectSameRows(Array(rows.dropFirst()), try Self.expected(from: "2026-10-20T00:00:00Z", to: "2026-12-01T00:00:00Z"),
                       "cost_per_tool through partitions")
    }

    /// A window the planner reads by a whole sequential scan is cut at a
    /// block inside the table, and the two halves hold every execution of the
    /// window once, neither nearly empty; a short window (read through the
    /// index) and a run without a session are read whole. The reports of
    /// wide windows above are read in halves, so their numbers are the
    /// halves' tallies merged.
    @Test func cutsAWholeScanInTwoHalvesOfTheTablesBlocks() throws {
        let catalog = try TestEnvironment.catalog()
        let report = try catalog.report(named: "cost_per_tool")
        let session = ReadSession(settings: try TestEnvironment.settings())
        let wide = try ReportParameters(window: ReportWindow(from: "2026-10-20", to: "2026-12-01", zone: .utc))
        let (transaction, _) = try session.begin(wide)
        defer { try? transaction.commit() }
        let context = ReportContext(transaction: transaction, catalog: catalog, definition: report, parameters: wide, session: session)
        let query = "cost_per_tool_executions"
        let cut = try #require(try context.blockCut(try context.plan(query), middle: "cost_per_tool_halfway_block"))
        let block = try #require(Int(cut.dropFirst().prefix { $0 != "," }))
        let blocks = try #require(Int(try TestEnvironment.query(
            "SELECT pg_relation_size('tool_executions') / current_setting('block_size')::int8")[0][0] ?? ""))
        #expect(block > 0 && block < blocks, "cut at \(cut) of \(blocks) blocks")

        let below = try context.stream(query, more: ["blocks_to": cut]) { _ in { _ in } }
        let atOrPast = try context.stream(query, more: ["blocks_from": cut]) { _ in { _ in } }
        let inWindow = try #require(Int(try TestEnvironment.query("""
            SELECT count(*) FROM tool_executions
            WHERE execution_timestamp >= '2026-10-20T00:00:00Z' AND execution_timestamp < '2026-12-01T00:00:00Z'
            """)[0][0] ?? ""))
        #expect(below + atOrPast == inWindow)
        #expect(below > inWindow / 4 && atOrPast > inWindow / 4, "\(below) and \(atOrPast) of \(inWindow)")
        // Both halves at once, read by this thread, interleaved.
        var both = 0
        try context.streamInHalves(query, cut: cut, as: ToolExecution.self) { _ in both += 1 }
        #expect(both == inWindow)

        var alone = context
        alone.session = nil
        #expect(try alone.blockCut(try alone.plan(query), middle: "cost_per_tool_halfway_block") == nil, "no session: one connection")
        let hour = try ReportParameters(window: ReportWindow(from: "2026-11-05T10:00:00Z", to: "2026-11-05T11:00:00Z", zone: .utc))
        let (short, _) = try session.begin(hour)
        defer { try? short.commit() }
        let shortContext = ReportContext(transaction: short, catalog: catalog, definition: report, parameters: hour, session: session)
        #expect(try shortContext.blockCut(try shortContext.plan(query), middle: "cost_per_tool_halfway_block") == nil, "an hour: read through the index")
    }

    /// A reader's error in the middle of the two halves stops both servers
    /// and comes back as that error, not as the cancelled COPYs'.
    @Test func aReadersErrorStopsBothHalves() throws {
        let catalog = try TestEnvironment.catalog()
        let session = ReadSession(settings: try TestEnvironment.settings())
        let wide = try ReportParameters(window: ReportWindow(from: "2026-10-20", to: "2026-12-01", zone: .utc))
        let (transaction, _) = try session.begin(wide)
        let context = ReportContext(transaction: transaction, catalog: catalog, definition: try catalog.report(named: "cost_per_tool"),
                                    parameters: wide, session: session)
        let query = "cost_per_tool_executions"
        let cut = try #require(try context.blockCut(try context.plan(query), middle: "cost_per_tool_halfway_block"))
        var read = 0
        let error = #expect(throws: EngineError.self) {
            try context.streamInHalves(query, cut: cut, as: ToolExecution.self) { _ in
                read += 1
                if read == 1_000 { throw EngineError.output("the test's disk is full") }
            }
        }
        #expect(error?.description.contains("the test's disk is full") == true, "\(String(describing: error))")
        #expect(read == 1_000, "no row is read after the error")
    }

    @Test func countsEventsOnTheWindowsEdgesOnce() throws {
        // The generator puts executions exactly on UTC midnights: the one at
        // `to` belongs to the next window, the one at `from` to this one.
        let onEdge = try TestEnvironment.query(
            "SELECT count(*) FROM tool_executions WHERE execution_timestamp IN ('2026-11-05T00:00:00Z', '2026-11-06T00:00:00Z')")
        #expect(Int(onEdge[0][0] ?? "0")! > 0, "the data has executions exactly on the edges")
        let first = try TestEnvironment.run(["cost_per_tool"], from: "2026-11-05", to: "2026-11-06")
        let second = try TestEnvironment.run(["cost_per_tool"], from: "2026-11-06", to: "2026-11-07")
        let both = try TestEnvironment.run(["cost_per_tool"], from: "2026-11-05", to: "2026-11-07")
        func executions(_ directory: String) throws -> Int {
            try TestEnvironment.csv(directory + "/cost_per_tool.csv").dropFirst().map { Int($0[1])! }.reduce(0, +)
        }
        #expect(try executions(first) + executions(second) == executions(both))
    }

    @Test func restrictsToOneUser() throws {
        let user = try #require(try TestEnvironment.query("SELECT user_id::text FROM tool_executions GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")[0][0])
        let directory = try TestEnvironment.run(["cost_per_tool"], from: "2026-10-20", to: "2026-12-01", userID: user.uppercased())
        let rows = try TestEnvironment.csv(directory + "/cost_per_tool.csv")
        expectSameRows(Array(rows.dropFirst()), try Self.expected(from: "2026-10-20T00:00:00Z", to: "2026-12-01T00:00:00Z", userID: user),
                       "cost_per_tool for one user")
        #expect(rows.dropFirst().allSatisfy { $0[14] == "1" }, "one user in every row")
    }

    @Test func writesJSONThatAgreesWithTheCSV() throws {
        let directory = try TestEnvironment.run(["cost_per_tool"], from: "2026-11-01", to: "2026-11-08", tz: "America/New_York")
        let csv = try TestEnvironment.csv(directory + "/cost_per_tool.csv")
        let json = try TestEnvironment.json(directory + "/cost_per_tool.json")
        #expect(json["report"] as? String == "cost_per_tool")
        #expect(json["columns"] as? [String] == csv[0])
        let rows = try #require(json["rows"] as? [[String: Any]])
        #expect(json["row_count"] as? Int == rows.count)
        #expect(rows.count == csv.count - 1)
        let parameters = try #require(json["parameters"] as? [String: Any])
        #expect(parameters["from"] as? String == "2026-11-01T00:00:00-04:00")
        #expect(parameters["to"] as? String == "2026-11-08T00:00:00-05:00")
        #expect(parameters["tz"] as? String == "America/New_York")
        for (record, row) in zip(csv.dropFirst(), rows) {
            // The JSON is not formula-guarded; the CSV is.
            let name = try #require(row["tool_name"] as? String)
            #expect(record[0] == name || record[0] == "'" + name)
            #expect(row["executions"] as? Int == Int(record[1]))
            #expect(row["total_cost"] as? String == record[5], "decimals are JSON strings")
            #expect(row["p95_execution_ms"] as? String == record[10])
            #expect(row["max_execution_ms"] as? Int == Int(record[12]))
        }
    }

    @Test func formulaGuardCanBeTurnedOff() throws {
        let guarded = try TestEnvironment.csv(try TestEnvironment.run(["cost_per_tool"], from: "2026-11-01", to: "2026-11-08") + "/cost_per_tool.csv")
        let raw = try TestEnvironment.csv(try TestEnvironment.run(["cost_per_tool"], from: "2026-11-01", to: "2026-11-08",
                                                                  formulaGuard: false) + "/cost_per_tool.csv")
        #expect(guarded.map { $0[0] }.contains("'=SUM(A1)"))
        #expect(guarded.map { $0[0] }.contains("'-rm"))
        #expect(raw.map { $0[0] }.contains("=SUM(A1)"))
        #expect(!raw.map { $0[0] }.contains { $0.hasPrefix("'") })
    }

    @Test func rerunsAreByteIdentical() throws {
        let first = try TestEnvironment.run(["cost_per_tool"], from: "2026-11-01", to: "2026-11-08")
        let second = try TestEnvironment.run(["cost_per_tool"], from: "2026-11-01", to: "2026-11-08")
        #expect(try Data(contentsOf: URL(fileURLWithPath: first + "/cost_per_tool.csv"))
                == Data(contentsOf: URL(fileURLWithPath: second + "/cost_per_tool.csv")))
    }

    @Test func filesAreNotWorldReadable() throws {
        let old = umask(0)
        defer { umask(old) }
        let directory = try TestEnvironment.run(["cost_per_tool"], from: "2026-11-01", to: "2026-11-08")
        for name in ["cost_per_tool.csv", "cost_per_tool.json"] {
            let attributes = try FileManager.default.attributesOfItem(atPath: directory + "/" + name)
            let mode = try #require(attributes[.posixPermissions] as? Int)
            #expect(mode & 0o027 == 0, "\(name) has mode \(String(mode, radix: 8))")
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty, "no temporary files left: \(leftovers)")
    }
}

import Foundation
import Testing
@testable import KeenReports

/// Values reach PostgreSQL as bound parameters, or as literals libpq quoted,
/// and every report runs read-only.
@Suite struct ParameterSafetyTests {
    @Test func aHostileValueStaysData() throws {
        let hostile = #"'; DROP TABLE users; -- \' " ; $$ \\ ' OR 1=1 -- :from"#
        let query = try QueryFile(text: """
            -- name: echo
            -- param: tz text  echoed back
            SELECT :tz AS value, length(:tz)::int8 AS length
            """, fileName: "echo.sql")
        let connection = try PostgresConnection(TestEnvironment.settings())
        // Even text that is not the engine's own rendering (the engine never
        // passes such text) stays data once libpq has quoted it.
        let transaction = try ReportTransaction(connection: connection, settings: [], values: ["tz": hostile])
        var echoed: [(String?, Int64?)] = []
        try transaction.stream(query) { columns in
            let value = try columns.position(of: "value"), length = try columns.position(of: "length")
            return { row in echoed.append((row.text(value), try row.integer(length))) }
        }
        try transaction.commit()
        #expect(echoed.count == 1)
        #expect(echoed.first?.0 == hostile)
        #expect(echoed.first?.1 == Int64(hostile.count))
        #expect(try TestEnvironment.query("SELECT count(*) FROM users")[0][0].map { Int($0)! }! > 0, "users still there")
    }

    @Test func reportsCannotWrite() throws {
        let query = try QueryFile(text: """
            -- name: sneaky
            WITH gone AS (DELETE FROM users RETURNING id) SELECT count(*)::int8 FROM gone
            """, fileName: "sneaky.sql")
        let before = try TestEnvironment.query("SELECT count(*) FROM users")
        let connection = try PostgresConnection(TestEnvironment.settings())
        let parameters = try ReportParameters(window: ReportWindow(from: "2026-11-01", to: "2026-11-02", zone: .utc))
        let transaction = try ReportTransaction(connection: connection, parameters: parameters, statementTimeout: StatementTimeout("10s")!)
        #expect {
            try transaction.stream(query) { _ in { _ in } }
        } throws: { error in
            (error as? EngineError)?.status == .engineFailure && "\(error)".contains("read-only")
        }
        #expect(try TestEnvironment.query("SELECT count(*) FROM users") == before)
    }

    @Test func aSlowQueryMeetsTheStatementTimeout() throws {
        let query = try QueryFile(text: "-- name: slow\nSELECT pg_sleep(5)::text", fileName: "slow.sql")
        let connection = try PostgresConnection(TestEnvironment.settings())
        let parameters = try ReportParameters(window: ReportWindow(from: "2026-11-01", to: "2026-11-02", zone: .utc))
        let transaction = try ReportTransaction(connection: connection, parameters: parameters, statementTimeout: StatementTimeout("200ms")!)
        let started = Date()
        #expect {
            try transaction.stream(query) { _ in { _ in } }
        } throws: { error in
            (error as? EngineError)?.status == .engineFailure && "\(error)".contains("statement timeout")
        }
        #expect(Date().timeIntervalSince(started) < 4)
    }

    /// Parameters need nothing on the server: a role that may not create
    /// temporary objects (keen_test revokes TEMPORARY from PUBLIC, scripts/test)
    /// gets the owner's files, and no function is left behind.
    @Test func aRoleWithoutTempGetsTheSameFilesAndNothingIsCreated() throws {
        let url = try DatabaseRoles.create(["CREATE ROLE keen_no_temp LOGIN BYPASSRLS IN ROLE pg_read_all_data"],
                                           in: TestEnvironment.databaseURL())
        let catalog = try TestEnvironment.catalog()
        let window = ReportWindowCase.all[1]
        let parameters = try ReportParameters(window: ReportWindow(from: window.from, to: window.to,
                                                                   zone: #require(ReportTimeZone(identifier: window.tz))))
        var folders: [String] = []
        for settings in [try TestEnvironment.settings(), ConnectionSettings(conninfo: url)] {
            let folder = try TestEnvironment.temporaryDirectory()
            _ = try ReportRunner(catalog: catalog).run(catalog.reports, parameters: parameters, connection: settings,
                                                       output: OutputOptions(directory: folder, formats: [.csv]))
            folders.append(folder)
        }
        for output in catalog.reports.flatMap(\.outputs) {
            let name = "/\(output.name).csv"
            #expect(try Data(contentsOf: URL(fileURLWithPath: folders[0] + name)) == Data(contentsOf: URL(fileURLWithPath: folders[1] + name)),
                    "\(output.name)")
        }
        #expect(try TestEnvironment.query("SELECT count(*) FROM pg_proc WHERE proname LIKE 'keen_param%'")[0][0] == "0")
    }
}

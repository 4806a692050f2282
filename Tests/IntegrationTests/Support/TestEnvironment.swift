import Foundation
import Testing
@testable import KeenReports

/// The throwaway PostgreSQL that scripts/test starts, loaded with schema/ and
/// generated data (scale 1, seed 42), and the engine pointed at it.
enum TestEnvironment {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// KEEN_TEST_DATABASE_URL, set by scripts/test. Integration tests fail,
    /// not skip, without it: run them through scripts/test.
    static func databaseURL() throws -> String {
        try #require(ProcessInfo.processInfo.environment["KEEN_TEST_DATABASE_URL"],
                     "integration tests need KEEN_TEST_DATABASE_URL; run them with scripts/test")
    }

    static func settings() throws -> ConnectionSettings {
        ConnectionSettings(conninfo: try databaseURL())
    }

    static func catalog() throws -> ReportCatalog {
        try ReportCatalog(directory: packageRoot)
    }

    /// Runs a statement on its own connection, with the session time zone
    /// set to `timeZone`, and returns its rows as text.
    static func query(_ sql: String, _ parameters: [String?] = [], timeZone: String = "UTC") throws -> [[String?]] {
        let connection = try PostgresConnection(settings())
        try connection.execute("SELECT set_config('TimeZone', $1, false)", [timeZone])
        return try connection.execute(sql, parameters).rows
    }

    /// SQL that writes a timestamptz as REPORTS.md does, in the session's
    /// time zone: RFC 3339, `Z` for a zero offset, six fraction digits only
    /// when the microseconds are not zero.
    static func rfc3339(_ expression: String) -> String {
        """
        (to_char(\(expression), 'YYYY-MM-DD"T"HH24:MI:SS')
         || CASE WHEN extract(microseconds FROM \(expression))::int8 % 1000000 <> 0 THEN '.' || to_char(\(expression), 'US') ELSE '' END
         || CASE WHEN to_char(\(expression), 'TZH:TZM') = '+00:00' THEN 'Z' ELSE to_char(\(expression), 'TZH:TZM') END)
        """
    }

    /// Mounts a tmpfs of `size` (mount's units: 256k, 1m) on `directory`, a
    /// disk that fills up; returns what unmounts it.
    static func mountSmallDisk(at directory: String, size: String) throws -> () -> Void {
        func run(_ tool: String, _ arguments: [String]) throws -> Int32 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: tool)
            process.arguments = arguments
            try process.run()
            process.waitUntilExit()
            return process.terminationStatus
        }
        try #require(try run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(size)", "tmpfs", directory]) == 0,
                     "mounting a tmpfs needs root, as scripts/test and CI run")
        return { _ = try? run("/bin/umount", [directory]) }
    }

    /// A fresh, empty folder for a test's output.
    /// What a Python script of Support/ prints, run in the run's virtual
    /// environment (openpyxl, aiosmtpd); it must exit 0.
    static func python(_ script: String, _ arguments: [String]) throws -> Data {
        let python = try #require(ProcessInfo.processInfo.environment["KEEN_TEST_PYTHON"], "KEEN_TEST_PYTHON is set by scripts/test")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [packageRoot.path + "/Tests/IntegrationTests/Support/" + script] + arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "\(script) \(arguments.joined(separator: " ")) failed")
        return data
    }

    static func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("keen-reports-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Runs reports through the library, as `keen-reports run` does, into a
    /// fresh folder; returns the folder.
    @discardableResult
    static func run(_ reports: [String], from: String, to: String, tz: String = "UTC", userID: String? = nil,
                    formulaGuard: Bool = true, into directory: String? = nil) throws -> String {
        let directory = try directory ?? temporaryDirectory()
        let catalog = try catalog()
        let zone = try #require(ReportTimeZone(identifier: tz))
        let parameters = try ReportParameters(window: ReportWindow(from: from, to: to, zone: zone), userID: userID)
        _ = try ReportRunner(catalog: catalog).run(reports.map { try catalog.report(named: $0) }, parameters: parameters,
                                                   connection: settings(),
                                                   output: OutputOptions(directory: directory, formulaGuard: formulaGuard))
        return directory
    }

    /// The records of a CSV file, header first.
    static func csv(_ path: String) throws -> [[String]] {
        try LibCSVParser.records(of: String(contentsOfFile: path, encoding: .utf8))
    }

    /// The parsed JSON object of a report file.
    static func json(_ path: String) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))
        return try #require(object as? [String: Any])
    }

    /// SQL that writes a text column as the CSV writer does with the formula
    /// guard on: a leading ' before =, +, -, @, tab or CR.
    static func guarded(_ expression: String) -> String {
        "(CASE WHEN left(\(expression), 1) IN ('=', '+', '-', '@', E'\\t', E'\\r') THEN '''' || \(expression) ELSE \(expression) END)"
    }

    /// The built keen-reports executable, for end-to-end command tests.
    static func executable() throws -> URL {
        let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("keen-reports")
        for candidate in [besideTests, packageRoot.appendingPathComponent(".build/debug/keen-reports")]
        where FileManager.default.isExecutableFile(atPath: candidate.path) {
            return candidate
        }
        Issue.record("keen-reports is not built; run scripts/test")
        throw CancellationError()
    }
}

/// Compares a report's CSV with the rows an independent SQL computation gives,
/// cell by cell, and names the first cell that differs.
func expectSameRows(_ actual: [[String]], _ expected: [[String?]], _ label: String,
                    sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.count == expected.count, "\(label): \(actual.count) rows, expected \(expected.count)", sourceLocation: sourceLocation)
    for (index, (row, expectedRow)) in zip(actual, expected).enumerated() {
        let expectedCells = expectedRow.map { $0 ?? "" }
        if row != expectedCells {
            Issue.record("\(label): row \(index + 1) is \(row), expected \(expectedCells)", sourceLocation: sourceLocation)
            return
        }
    }
}

extension TestEnvironment {
    /// A copy of the catalogue with extra one-query reports, for fault tests:
    /// (name, SQL returning one int8 column `n`).
    static func catalogWith(_ extra: [(name: String, sql: String)]) throws -> String {
        let root = try temporaryDirectory()
        try FileManager.default.copyItem(atPath: packageRoot.path + "/queries", toPath: root + "/queries")
        try FileManager.default.copyItem(atPath: packageRoot.path + "/reports", toPath: root + "/reports")
        for (name, sql) in extra {
            try "-- name: \(name)\n-- A report for fault tests.\n\(sql)\n".write(toFile: root + "/queries/\(name).sql", atomically: true, encoding: .utf8)
            try """
                {"name": "\(name)", "summary": "fault test", "queries": ["\(name)"], "nightly": false,
                 "outputs": [{"name": "\(name)", "columns": [{"name": "n", "type": "integer", "meaning": ""}]}]}
                """.write(toFile: root + "/reports/\(name).json", atomically: true, encoding: .utf8)
        }
        return root
    }

    /// The database URL with a libpq parameter added.
    static func databaseURL(adding parameter: String) throws -> String {
        let url = try databaseURL()
        return url + (url.contains("?") ? "&" : "?") + parameter
    }

    /// Every entry of a folder, hidden ones included.
    static func entries(_ directory: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory)
    }
}

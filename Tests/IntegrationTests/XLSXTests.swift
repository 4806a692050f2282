import Foundation
import Testing
@testable import KeenReports

/// Workbooks read back by openpyxl, an independent reader, and compared cell
/// by cell with the CSV written in the same run (FORMATS.md, XLSX).
@Suite struct XLSXTests {
    /// Across the end of daylight saving time in New York (2026-11-01).
    @Test(arguments: ["UTC", "America/New_York"])
    func everyReportsWorkbookEqualsItsCSV(zone: String) throws {
        let directory = try TestEnvironment.temporaryDirectory()
        let catalog = try TestEnvironment.catalog()
        let parameters = try ReportParameters(window: ReportWindow(from: "2026-10-30", to: "2026-11-03",
                                                                   zone: #require(ReportTimeZone(identifier: zone))))
        // Text in a workbook is never a formula, so it is compared with the
        // CSV's text as the database holds it: no formula guard.
        _ = try ReportRunner(catalog: catalog).run(catalog.reports, parameters: parameters, connection: TestEnvironment.settings(),
                                                   output: OutputOptions(directory: directory, formats: Set(OutputOptions.Format.allCases),
                                                                         formulaGuard: false))
        for output in catalog.reports.flatMap(\.outputs) {
            let workbook = try Workbook.read(directory + "/\(output.name).xlsx")
            #expect(workbook.sheets.map(\.name) == [output.name, "About"], "\(output.name)")
            let csv = try TestEnvironment.csv(directory + "/\(output.name).csv")
            expectWorkbookEqualsCSV([try workbook.sheet(output.name)], csv, columns: output.columns, "\(output.name) in \(zone)")
            let about = try workbook.sheet("About").rows.map { $0.map { $0?.v ?? "" } }
            #expect(about.contains { $0.first == "time zone" && $0[1].hasPrefix(zone) })
            #expect(about.contains { $0.first == "rows" && $0[1] == String(csv.count - 1) })
            for column in output.columns {
                #expect(about.contains { $0.first == column.name && $0[1] == column.typeDescription }, "\(output.name).\(column.name) in About")
            }
            let attributes = try FileManager.default.attributesOfItem(atPath: directory + "/\(output.name).xlsx")
            #expect((attributes[.posixPermissions] as? Int) == 0o640)
        }
        // The data really has what the comparison is about.
        let usage = try TestEnvironment.csv(directory + "/session_usage.csv")
        #expect(usage.count > 100)
        let names = try TestEnvironment.csv(directory + "/daily_usage.csv").map { $0[2] }
        #expect(names.contains { $0.hasPrefix("=") } && names.contains { $0.unicodeScalars.contains { $0.value > 127 } })
    }

    @Test func theReconciliationWorkbookHasSummaryAndDiscrepancies() throws {
        let directory = try TestEnvironment.temporaryDirectory()
        let options = try Reconciler.Options(window: ReconciliationTests.plantedWindow,
                                             stripeExport: ReconciliationTests.environment("KEEN_TEST_STRIPE_PLANTED"),
                                             formats: Set(OutputOptions.Format.allCases))
        let outcome = try Reconciler(catalog: TestEnvironment.catalog())
            .run(options, connection: ConnectionSettings(conninfo: ReconciliationTests.environment("KEEN_TEST_PLANTED_URL")), output: directory)
        #expect(outcome.discrepancies > 10)
        let workbook = try Workbook.read(directory + "/reconciliation.xlsx")
        #expect(workbook.sheets.map(\.name) == ["Summary", "Discrepancies"])
        expectWorkbookEqualsCSV([try workbook.sheet("Discrepancies")], try TestEnvironment.csv(directory + "/reconciliation_discrepancies.csv"),
                                columns: Discrepancy.columns, "Discrepancies")
        try expectSummaryEqualsJSON(workbook, directory + "/reconciliation_summary.json")
    }

    /// Every leaf of the summary JSON is a row of the Summary sheet: amounts
    /// as numbers with their places, counts as integers.
    func expectSummaryEqualsJSON(_ workbook: Workbook, _ path: String) throws {
        let summary = try workbook.sheet("Summary")
        let cells = Dictionary(summary.rows.dropFirst().map { ($0[0]?.v ?? "", $0.count > 1 ? $0[1] : nil) }, uniquingKeysWith: { a, _ in a })
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))
        var leaves: [(String, Any)] = []
        func walk(_ value: Any, _ prefix: String) {
            if let object = value as? [String: Any] {
                for (key, member) in object { walk(member, prefix.isEmpty ? key : prefix + "." + key) }
            } else {
                leaves.append((prefix, value))
            }
        }
        walk(json, "")
        #expect(leaves.count > 30)
        for (name, value) in leaves {
            let cell = cells[name] ?? nil
            switch value {
            case is NSNull:
                #expect(cell == nil, "\(name)")
            case let text as String where text.contains(".") && ExactDecimal(text) != nil:
                let places = text.split(separator: ".").last!.count
                if ExactDecimal(text)!.significantDigits > 15 {
                    #expect(cell?.t == "s" && cell?.v == text, "\(name): \(String(describing: cell)) for \(text)")
                } else {
                    #expect(cellProblem(cell, expected: text, column: ReportColumn(name: name, type: .decimal, scale: places)) == nil,
                            "\(name): \(String(describing: cell)) for \(text)")
                }
            case let text as String:
                #expect(cell?.v == text, "\(name)")
            case let number as NSNumber where String(cString: number.objCType) == "c":
                #expect(cell?.t == "b" && cell?.v == (number.boolValue ? "true" : "false"), "\(name)")
            case let number as NSNumber:
                #expect(cell?.t == "n" && cell?.f == "0" && cell?.v == number.stringValue, "\(name): \(String(describing: cell))")
            default:
                Issue.record("\(name): unexpected JSON \(value)")
            }
        }
    }

    /// Totals past 15 significant digits, as a ledger of 10,001 accounts
    /// holding 99,999,999.9999 credits each has, cannot be Excel numbers:
    /// they arrive as text with their exact digits.
    @Test func numbersPastFifteenDigitsArriveAsExactText() throws {
        let url = try #require(ProcessInfo.processInfo.environment["KEEN_TEST_EXTREMES_URL"], "set by scripts/test")
        let connection = try PostgresConnection(ConnectionSettings(conninfo: url))
        try connection.execute("""
            WITH new_users AS (
                INSERT INTO users (id, email, username, password_hash)
                SELECT ('00000000-0000-0000-0001-' || lpad(to_hex(g), 12, '0'))::uuid, 'rich' || g || '@example.com', 'rich' || g, 'x'
                FROM generate_series(1, 10001) AS g
                ON CONFLICT DO NOTHING
                RETURNING id
            ), accounts AS (
                INSERT INTO credit_accounts (id, user_id, current_balance, lifetime_purchased, lifetime_spent)
                SELECT id, id, 99999999.9999, 99999999.9999, 0 FROM new_users
                RETURNING id, user_id
            )
            INSERT INTO credit_transactions (user_id, account_id, transaction_type, amount, balance_after, description,
                                             stripe_payment_intent_id, created_at)
            SELECT user_id, id, 'purchase', 99999999.9999, 99999999.9999, 'rich', 'pi_rich_' || id, '2031-01-01 12:00:00+00'
            FROM accounts
            """)
        let directory = try TestEnvironment.temporaryDirectory()
        let options = try Reconciler.Options(window: ReportWindow(from: "2031-01-01", to: "2031-01-02", zone: .utc),
                                             formats: [.json, .xlsx])
        _ = try Reconciler(catalog: TestEnvironment.catalog()).run(options, connection: ConnectionSettings(conninfo: url), output: directory)
        let summary = try TestEnvironment.json(directory + "/reconciliation_summary.json")
        let purchases = try #require((summary["transactions_by_type"] as? [String: Any])?["purchase"] as? [String: Any])
        let sum = try #require(purchases["sum"] as? String)
        #expect(sum == "1000099999998.9999", "10,001 × 99,999,999.9999")
        let workbook = try Workbook.read(directory + "/reconciliation.xlsx")
        let row = try #require(try workbook.sheet("Summary").rows.first { $0.first??.v == "transactions_by_type.purchase.sum" })
        #expect(row[1] == Workbook.Cell(t: "s", v: sum, f: "General", bold: false))
        try expectSummaryEqualsJSON(workbook, directory + "/reconciliation_summary.json")
    }

    /// The continuation sheets, with the sheet's row limit lowered for the
    /// test (a real million-row sheet is scripts/bench's).
    @Test func rowsPastASheetsLimitGoOnInNumberedSheets() throws {
        let directory = try TestEnvironment.temporaryDirectory()
        let catalog = try TestEnvironment.catalog()
        var output = OutputOptions(directory: directory, formats: [.csv, .xlsx], formulaGuard: false)
        output.xlsxRowsPerSheet = 400
        _ = try ReportRunner(catalog: catalog).run([try catalog.report(named: "session_usage")],
                                                   parameters: try ReportParameters(window: ReportWindow(from: "2026-10-01", to: "2026-11-01", zone: .utc)),
                                                   connection: try TestEnvironment.settings(), output: output)
        let csv = try TestEnvironment.csv(directory + "/session_usage.csv")
        let workbook = try Workbook.read(directory + "/session_usage.xlsx")
        let sheets = (csv.count - 1 + 399) / 400
        #expect(sheets >= 3)
        #expect(workbook.sheets.map(\.name) == ["session_usage"] + (2...sheets).map { "session_usage \($0)" } + ["About"])
        #expect(workbook.sheets.dropLast(2).allSatisfy { $0.rows.count == 401 })
        expectWorkbookEqualsCSV(Array(workbook.sheets.dropLast()), csv, columns: try TestEnvironment.catalog().report(named: "session_usage").outputs[0].columns,
                                "session_usage over \(sheets) sheets")
        #expect(!FileManager.default.fileExists(atPath: directory + "/session_usage.json"), "only the formats asked for")
    }

    @Test func sheetNamesAreCutToExcelsLength() {
        let long = String(repeating: "x", count: 40)
        #expect(XLSXReportWriter.sheetName(long, number: 1).count == 31)
        #expect(XLSXReportWriter.sheetName(long, number: 12) == String(repeating: "x", count: 28) + " 12")
    }

    @Test func anUnknownFormatIs64() throws {
        let result = try runKeenReports(["run", "cost_per_tool", "--from", "2026-11-01", "--to", "2026-11-02", "--format", "csv,xls",
                                         "--output-dir", try TestEnvironment.temporaryDirectory()])
        #expect(result.status == 64 && result.stderr.contains("xls"), "\(result.stderr)")
    }
}

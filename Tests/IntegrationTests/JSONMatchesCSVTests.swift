import Foundation
import Testing
@testable import KeenReports

/// Every output's JSON holds the same rows as its CSV: same columns, same
/// values, integers as numbers, decimals as strings, arrays as arrays, NULL
/// as null, and a row_count that counts the rows.
@Suite struct JSONMatchesCSVTests {
    @Test func everyOutputAgrees() throws {
        let catalog = try TestEnvironment.catalog()
        let window = ReportWindowCase.all[1]
        let directory = try TestEnvironment.run(catalog.reports.map(\.name), from: window.from, to: window.to, tz: window.tz,
                                                formulaGuard: false)
        for output in catalog.reports.flatMap(\.outputs) {
            let csv = try TestEnvironment.csv(directory + "/\(output.name).csv")
            let json = try TestEnvironment.json(directory + "/\(output.name).json")
            #expect(json["report"] as? String == output.name)
            #expect(json["columns"] as? [String] == output.columns.map(\.name))
            #expect(csv.first == output.columns.map(\.name))
            let rows = try #require(json["rows"] as? [[String: Any]], "\(output.name) rows")
            #expect(json["row_count"] as? Int == rows.count, "\(output.name) row_count")
            #expect(rows.count == csv.count - 1, "\(output.name) row counts")
            for (record, row) in zip(csv.dropFirst(), rows) {
                for (index, column) in output.columns.enumerated() {
                    let cell = record[index]
                    let value = row[column.name]
                    switch value {
                    case is NSNull, nil:
                        #expect(cell == "", "\(output.name).\(column.name): null is an empty field")
                    case let number as NSNumber where column.type == .integer:
                        #expect(number.stringValue == cell, "\(output.name).\(column.name)")
                    case let text as String where column.type != .integer && column.type != .textArray:
                        #expect(text == cell, "\(output.name).\(column.name)")
                    case let array as [String] where column.type == .textArray:
                        #expect(array.joined(separator: ";") == cell, "\(output.name).\(column.name)")
                    default:
                        Issue.record("\(output.name).\(column.name): \(String(describing: value)) is not a \(column.type)")
                    }
                }
            }
        }
    }
}

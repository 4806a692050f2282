import ArgumentParser
import Foundation
import KeenReports

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List every report with a one-line description.")

    @Flag(help: "Print JSON for programs.")
    var json = false

    @OptionGroup var catalog: CatalogOptions

    func run() throws {
        let reports = try catalog.load().reports
        if json {
            let value = JSONValue.array(reports.map { report in
                .object([("name", .string(report.name)), ("summary", .string(report.summary)),
                         ("nightly", .bool(report.nightly)), ("outputs", .array(report.outputs.map { .string($0.name) }))])
            })
            print(value.serialized(indent: 0))
        } else {
            let width = reports.map(\.name.count).max() ?? 0
            for report in reports {
                print(report.name.padding(toLength: width + 2, withPad: " ", startingAt: 0) + report.summary)
            }
        }
    }
}

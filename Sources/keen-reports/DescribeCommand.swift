import ArgumentParser
import KeenReports

struct DescribeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "describe", abstract: "Show a report's parameters, columns and SQL.")

    @Argument(help: "The report, as 'list' names it.")
    var report: String

    @OptionGroup var catalog: CatalogOptions

    func run() throws {
        let catalog = try catalog.load()
        print(ReportDescription(try catalog.report(named: report), catalog: catalog).text, terminator: "")
    }
}

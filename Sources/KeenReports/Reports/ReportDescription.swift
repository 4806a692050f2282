/// The text `keen-reports describe` prints: what a report is, the parameters
/// its queries read, its outputs' columns and the SQL it runs.
public struct ReportDescription {
    public let text: String

    public init(_ report: ReportDefinition, catalog: ReportCatalog) {
        var text = "\(report.name): \(report.summary)\n"
        if let details = report.details { text += "\n\(details)\n" }
        text += "\nnightly: \(report.nightly ? "yes" : "no")"
        if let split = report.split {
            text += "\nsplit: run --jobs N reads N consecutive ranges of \(split.table).\(split.column), one per connection, appended in order"
        }
        text += "\naggregation: \(report.aggregation.map { "\($0) (Swift)" } ?? "none (the query's rows are written as they are)")\n"
        let queries = report.queries.map { catalog.query(named: $0) }

        text += "\nParameters:\n"
        var seen = Set<String>()
        for parameter in queries.flatMap(\.parameters) where seen.insert(parameter.name).inserted {
            let option = ReportParameters.setByTheEngine[parameter.name]
                ?? "--" + parameter.name.replacingOccurrences(of: "_", with: "-")
            text += "  \(parameter.name)  \(parameter.type.rawValue)\(parameter.optional ? ", optional" : "")  (\(option))"
            text += parameter.meaning.isEmpty ? "\n" : "  \(parameter.meaning)\n"
        }
        if !seen.contains("from") {
            text += "  from, to  timestamptz  (--from, --to)  the window, applied to the rows in Swift\n"
        }
        text += "  tz  text, default UTC  (--tz)  time zone where days and hours begin\n"

        for output in report.outputs {
            text += "\nOutput \(output.name) (\(output.name).csv, \(output.name).json):\n"
            for column in output.columns {
                text += "  \(column.name)  \(column.typeDescription)\(column.meaning.isEmpty ? "" : "  \(column.meaning)")\n"
            }
        }
        for query in queries {
            text += "\nQuery \(query.name):\n"
            if !query.documentation.isEmpty { text += query.documentation.split(separator: "\n").map { "  -- \($0)\n" }.joined() }
            text += query.sql.split(separator: "\n", omittingEmptySubsequences: false).map { "  \($0)\n" }.joined()
        }
        self.text = text
    }
}

/// Each query the command runs, prepared on the server: parsed and analysed
/// against that server's schema, not planned or run. A table or column the
/// schema lacks (a migration not yet applied, a renamed column), or a report
/// without Swift whose query does not return its output's columns by name,
/// fails here instead of at night.
struct QueryShapeCheck {
    let queries: [QueryFile]
    let catalog: ReportCatalog

    func checks(on connection: PostgresConnection) -> [SetupCheck] {
        var checks: [SetupCheck] = []
        var seen = Set<String>()
        for query in queries where seen.insert(query.name).inserted {
            do {
                // Only the columns are wanted: any value of the right type will do.
                let result = ResultColumns(names: try connection.columnNames(of: query.boundSQL { "NULL::\($0.type.rawValue)" }))
                for report in catalog.reports where report.aggregation == nil && report.queries.first == query.name {
                    try result.require(exactly: report.outputs[0].columns.map(\.name), for: report.name)
                }
            } catch {
                checks.append(.fail("query \(query.name)", error))
            }
        }
        if checks.isEmpty {
            checks.append(.ok("queries", "\(seen.count) prepare on the server, and the reports without Swift return their columns"))
        }
        return checks
    }
}

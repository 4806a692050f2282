/// Swift that turns a report's query rows into its output rows, for reports
/// whose numbers SQL alone should not produce (exact percentiles, trees).
protocol ReportAggregation {
    /// The name a definition's `aggregation` names.
    static var name: String { get }
    /// Output name → the column names this aggregation writes, in order; the
    /// catalog checks the definition against it when it loads.
    static var outputColumns: [String: [String]] { get }
    static func run(_ context: ReportContext, outputs: ReportOutputs) throws
}

/// Every aggregation the engine has.
enum Aggregations {
    static var all: [any ReportAggregation.Type] {
        [CostPerToolAggregation.self, DashboardMetricsAggregation.self, LedgerRollforwardAggregation.self,
         PhaseTimeBreakdownAggregation.self, RecursionDepthAggregation.self, WebsocketConnectionsAggregation.self]
    }

    static var names: [String] { all.map { $0.name }.sorted() }

    static func named(_ name: String) -> (any ReportAggregation.Type)? {
        all.first { $0.name == name }
    }
}

/// What an aggregation reads from: its report's queries, in the run's
/// transaction, with the run's parameters.
struct ReportContext {
    let transaction: ReportTransaction
    let catalog: ReportCatalog
    let definition: ReportDefinition
    let parameters: ReportParameters
    /// See `ReportRunner.idsPerPartition`.
    var idsPerPartition = PartitionedIDToolCounter.defaultPerPartition

    /// Streams one of the report's queries.
    /// `more` sets parameters the engine computed for this query alone.
    @discardableResult
    func stream(_ queryName: String, more: [String: String?] = [:], _ onRow: (CopyRow) throws -> Void) throws -> Int {
        precondition(definition.queries.contains(queryName), "\(definition.name) does not declare query \(queryName)")
        return try transaction.stream(catalog.query(named: queryName), more: more, onRow)
    }
}

/// A report's outputs by name.
struct ReportOutputs {
    let byName: [String: ReportOutput]

    subscript(name: String) -> ReportOutput {
        // The catalog checked the names against the aggregation's.
        byName[name]!
    }
}

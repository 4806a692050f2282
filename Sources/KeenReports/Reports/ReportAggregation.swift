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
    /// Where a second connection may join the run's snapshot (`streamInHalves`);
    /// nil in a night, whose jobs already share the cores.
    var session: ReadSession?

    /// Streams one of the report's queries, each row decoded as a `Row`.
    /// `more` sets parameters the engine computed for this query alone.
    @discardableResult
    func stream<Row: QueryRow>(_ queryName: String, as _: Row.Type = Row.self, more: [String: String?] = [:],
                               _ onRow: (Row) throws -> Void) throws -> Int {
        try transaction.stream(query(queryName), as: Row.self, more: more, onRow)
    }

    /// Streams one of the report's queries to a reader of its raw rows,
    /// made once its columns are known.
    @discardableResult
    func stream(_ queryName: String, more: [String: String?] = [:],
                _ reader: (ResultColumns) throws -> (CopyRow) throws -> Void) throws -> Int {
        try transaction.stream(query(queryName), more: more, reader)
    }

    /// The planner's plan of one of the report's queries.
    func plan(_ queryName: String) throws(EngineError) -> QueryPlan {
        try transaction.plan(query(queryName))
    }

    func query(_ name: String) -> QueryFile {
        precondition(definition.queries.contains(name), "\(definition.name) does not declare query \(name)")
        return catalog.query(named: name)
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

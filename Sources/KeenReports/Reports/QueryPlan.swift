/// What the planner says of a query with a run's values (EXPLAIN, which
/// runs nothing): a size to plan memory by, never a count to report, and
/// whether it reads its tables whole.
struct QueryPlan {
    /// EXPLAIN's JSON.
    let json: String

    /// The top node's estimate of rows.
    var estimatedRows: Int64 {
        guard let range = json.range(of: "\"Plan Rows\": ") else { return 0 }
        return Int64(json[range.upperBound...].prefix { $0.isNumber }) ?? 0
    }

    /// A sequential scan, and no index or bitmap scan anywhere in the plan.
    var scansWholeTables: Bool {
        json.contains("\"Node Type\": \"Seq Scan\"") && !json.contains("\"Node Type\": \"Index")
            && !json.contains("\"Node Type\": \"Bitmap")
    }
}

/// `dashboard_metrics`: PostgreSQL counts sessions per hour index since
/// `from`; Swift lays out every hour of the window, empty ones included
/// (SQL would need a generate_series join for that), labels each with its
/// start instant and computes the exact average cost.
enum DashboardMetricsAggregation: ReportAggregation {
    static let name = "dashboard_metrics"
    static let outputColumns = [
        "dashboard_metrics": ["hour_bucket", "sessions_started", "sessions_completed", "sessions_exploring", "sessions_planning",
                              "sessions_founding", "sessions_summoning", "sessions_completed_phase", "avg_cost_per_session",
                              "total_tokens"],
    ]

    static func run(_ context: ReportContext, outputs: ReportOutputs) throws {
        let window = context.parameters.window
        let span = window.to.microsecondsSincePostgresEpoch - window.from.microsecondsSincePostgresEpoch
        // Consecutive hours from `from`; the last one may be cut short by `to`.
        let hours = (span + Timestamp.microsecondsPerHour - 1) / Timestamp.microsecondsPerHour
        let output = outputs["dashboard_metrics"]
        var nextHour: Int64 = 0

        func writeEmptyHours(upTo end: Int64) throws {
            while nextHour < end {
                try output.write([.timestamp(hourStart(nextHour)), .integer(0), .integer(0), .integer(0), .integer(0),
                                  .integer(0), .integer(0), .integer(0), .null, .integer(0)])
                nextHour += 1
            }
        }
        func hourStart(_ index: Int64) -> Timestamp {
            window.from.adding(microseconds: index * Timestamp.microsecondsPerHour)
        }

        try context.stream("dashboard_metrics_hours") { row in
            let index = try row.integer(0) ?? 0
            guard index >= nextHour, index < hours else {
                throw EngineError.engine("dashboard_metrics_hours returned hour \(index) out of order or outside the window")
            }
            try writeEmptyHours(upTo: index)
            let sessions = try row.integer(1) ?? 0
            let totalCost = try row.decimal(8) ?? .zero
            try output.write([
                .timestamp(hourStart(index)),
                .integer(sessions),
                .integer(try row.integer(2)), .integer(try row.integer(3)), .integer(try row.integer(4)),
                .integer(try row.integer(5)), .integer(try row.integer(6)), .integer(try row.integer(7)),
                sessions > 0 ? .decimal(totalCost.divided(by: sessions, scale: 6)) : .null,
                .integer(try row.integer(9)),
            ])
            nextHour = index + 1
        }
        try writeEmptyHours(upTo: hours)
    }
}

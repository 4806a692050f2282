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
                try write(HourCounts(hourIndex: nextHour), at: hourStart(nextHour))
                nextHour += 1
            }
        }
        func hourStart(_ index: Int64) -> Timestamp {
            window.from.adding(microseconds: index * Timestamp.microsecondsPerHour)
        }
        func write(_ hour: HourCounts, at start: Timestamp) throws {
            try output.write([
                "hour_bucket": .timestamp(start),
                "sessions_started": .integer(hour.started),
                "sessions_completed": .integer(hour.completed),
                "sessions_exploring": .integer(hour.exploring),
                "sessions_planning": .integer(hour.planning),
                "sessions_founding": .integer(hour.founding),
                "sessions_summoning": .integer(hour.summoning),
                "sessions_completed_phase": .integer(hour.completedPhase),
                "avg_cost_per_session": hour.started > 0 ? .decimal(hour.totalCost.divided(by: hour.started, scale: 6)) : .null,
                "total_tokens": .integer(hour.totalTokens),
            ])
        }

        try context.stream("dashboard_metrics_hours", as: HourCounts.self) { hour in
            guard hour.hourIndex >= nextHour, hour.hourIndex < hours else {
                throw EngineError.engine("dashboard_metrics_hours returned hour \(hour.hourIndex) out of order or outside the window")
            }
            try writeEmptyHours(upTo: hour.hourIndex)
            try write(hour, at: hourStart(hour.hourIndex))
            nextHour = hour.hourIndex + 1
        }
        try writeEmptyHours(upTo: hours)
    }

    /// One row of `dashboard_metrics_hours`: the sessions that started in one
    /// hour of the window, counted by the server (an hour with none has no row).
    struct HourCounts: QueryRow {
        var hourIndex: Int64
        var started: Int64 = 0
        var completed: Int64? = 0
        var exploring: Int64? = 0
        var planning: Int64? = 0
        var founding: Int64? = 0
        var summoning: Int64? = 0
        var completedPhase: Int64? = 0
        var totalCost = ExactDecimal.zero
        var totalTokens: Int64? = 0

        init(hourIndex: Int64) {
            self.hourIndex = hourIndex
        }

        struct Columns {
            let hourIndex, started, completed, exploring, planning, founding, summoning, completedPhase, totalCost, totalTokens: Int
        }

        static func columns(in result: ResultColumns) throws(EngineError) -> Columns {
            Columns(hourIndex: try result.position(of: "hour_index"), started: try result.position(of: "sessions_started"),
                    completed: try result.position(of: "sessions_completed"), exploring: try result.position(of: "sessions_exploring"),
                    planning: try result.position(of: "sessions_planning"), founding: try result.position(of: "sessions_founding"),
                    summoning: try result.position(of: "sessions_summoning"),
                    completedPhase: try result.position(of: "sessions_completed_phase"),
                    totalCost: try result.position(of: "total_cost"), totalTokens: try result.position(of: "total_tokens"))
        }

        init(_ row: CopyRow, _ columns: Columns) throws(EngineError) {
            hourIndex = try row.integer(columns.hourIndex) ?? 0
            started = try row.integer(columns.started) ?? 0
            completed = try row.integer(columns.completed)
            exploring = try row.integer(columns.exploring)
            planning = try row.integer(columns.planning)
            founding = try row.integer(columns.founding)
            summoning = try row.integer(columns.summoning)
            completedPhase = try row.integer(columns.completedPhase)
            totalCost = try row.decimal(columns.totalCost) ?? .zero
            totalTokens = try row.integer(columns.totalTokens)
        }
    }
}

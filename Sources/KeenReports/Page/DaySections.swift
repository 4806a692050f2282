import Foundation

/// The sections of a day's page, from the JSON files of the reports that
/// were written; a report that failed leaves its section empty (nil).
struct DaySections {
    struct Hour {
        let start: String
        let started: Int64
        let completed: Int64
    }

    struct Phase {
        let phase: String
        let transitions: Int64
        let totalMilliseconds: Int64
    }

    struct Tool {
        let name: String
        let executions: Int64
        let totalCost: String
        let p50: String
        let p95: String
        let p99: String
    }

    struct Depth {
        let depth: Int64
        let sessions: Int64
        let totalCost: String
    }

    struct Customer {
        let username: String
        let userID: String
        let sessions: Int64
        let totalCost: ExactDecimal
        let totalCostText: String
        let tokens: Int64
    }

    var headline = Headline()
    var hours: [Hour]?
    var phases: [Phase]?
    var tools: [Tool]?
    var depths: [Depth]?
    var depthMismatches: Int64?
    var customers: [Customer]?
    var reconciliation: Reconciliation?
    /// `ledger_rollforward`'s rows as the CSV has them.
    var rollforward: PageTable?
    /// Rows of the real-time reports, as the CSV has them, in these columns.
    var events: PageTable?
    var connections: PageTable?
    var health: PageTable?

    static let eventColumns = ["event_type", "event_source", "events", "delivered", "delivery_rate"]
    static let connectionColumns = ["client_type", "connections", "open_at_end", "stale", "p50_duration_s", "p95_duration_s"]
    static let healthColumns = ["hour_bucket", "samples", "avg_response_time_ms", "avg_error_rate"]

    static let topCount = 10
    static let discrepancyRowsShown = 20

    /// Reads the sections of the reports in `written` from `folder`.
    init(folder: String, written: Set<String>) throws(EngineError) {
        func path(_ name: String) -> String? {
            let path = folder + "/\(name).json"
            return FileManager.default.fileExists(atPath: path) ? path : nil
        }

        if written.contains("dashboard_metrics"), let path = path("dashboard_metrics") {
            var hours: [Hour] = []
            var tokens: Int64 = 0
            _ = try ReportJSONFile(path: path) { row throws(EngineError) in
                hours.append(Hour(start: try row.text("hour_bucket", in: path), started: try row.integer("sessions_started", in: path),
                                  completed: try row.integer("sessions_completed", in: path)))
                tokens += try row.integer("total_tokens", in: path)
            }
            self.hours = hours
            headline.sessionsStarted = hours.reduce(0) { $0 + $1.started }
            headline.sessionsCompleted = hours.reduce(0) { $0 + $1.completed }
            headline.tokens = tokens
        }
        if written.contains("phase_time_breakdown"), let path = path("phase_time_breakdown") {
            var phases: [Phase] = []
            _ = try ReportJSONFile(path: path) { row throws(EngineError) in
                phases.append(Phase(phase: try row.text("phase", in: path), transitions: try row.integer("transitions", in: path),
                                    totalMilliseconds: try row.integer("total_ms", in: path)))
            }
            self.phases = phases
        }
        if written.contains("cost_per_tool"), let path = path("cost_per_tool") {
            // The report is ordered by total cost, largest first.
            var tools: [Tool] = []
            var executions: Int64 = 0
            _ = try ReportJSONFile(path: path) { row throws(EngineError) in
                executions += try row.integer("executions", in: path)
                guard tools.count < Self.topCount else { return }
                tools.append(Tool(name: try row.text("tool_name", in: path), executions: try row.integer("executions", in: path),
                                  totalCost: try row.text("total_cost", in: path),
                                  p50: row.optionalText("p50_execution_ms") ?? "", p95: row.optionalText("p95_execution_ms") ?? "",
                                  p99: row.optionalText("p99_execution_ms") ?? ""))
            }
            self.tools = tools
            headline.toolExecutions = executions
        }
        if written.contains("recursion_depth"), let path = path("recursion_depth") {
            var depths: [Depth] = []
            let file = try ReportJSONFile(path: path) { row throws(EngineError) in
                depths.append(Depth(depth: try row.integer("depth", in: path), sessions: try row.integer("sessions", in: path),
                                    totalCost: try row.text("total_cost", in: path)))
            }
            self.depths = depths
            depthMismatches = (file.members["depth_mismatches"] as? NSNumber)?.int64Value
        }
        if written.contains("daily_usage"), let path = path("daily_usage") {
            var top: [Customer] = []
            var total = ExactDecimal.zero
            _ = try ReportJSONFile(path: path) { row throws(EngineError) in
                let cost = try row.decimal("total_cost", in: path)
                total += cost
                let customer = Customer(username: try row.text("username", in: path), userID: try row.text("user_id", in: path),
                                        sessions: try row.integer("sessions_started", in: path), totalCost: cost,
                                        totalCostText: try row.text("total_cost", in: path),
                                        tokens: try row.integer("total_tokens_consumed", in: path))
                top = Self.keepTop(top, adding: customer)
            }
            customers = top
            headline.totalCost = total.formatted(places: 6)
        }
        if written.contains("reconciliation"), let summaryPath = path("reconciliation_summary") {
            reconciliation = try Reconciliation(summaryPath: summaryPath, listPath: path("reconciliation_discrepancies"),
                                                registerPath: path(ExceptionRegisterFile.reportName))
            headline.reconciliationStatus = reconciliation?.status
            headline.discrepancies = reconciliation?.total
            headline.openExceptions = reconciliation?.register?.open
        }
        events = try Self.rows(of: "realtime_events", columns: Self.eventColumns, written: written, path: path)
        connections = try Self.rows(of: "websocket_connections", columns: Self.connectionColumns, written: written, path: path)
        health = try Self.rows(of: "system_health", columns: Self.healthColumns, written: written, path: path)
        rollforward = try Self.rows(of: "ledger_rollforward", columns: LedgerRollforward.columns, written: written, path: path)
    }

    /// `columns` of every row of report `name`'s JSON, as text (a number's
    /// digits, a decimal's string, empty for null); nil when not written.
    private static func rows(of name: String, columns: [String], written: Set<String>,
                             path: (String) -> String?) throws(EngineError) -> PageTable? {
        guard written.contains(name), let path = path(name) else { return nil }
        var rows: [[String]] = []
        _ = try ReportJSONFile(path: path) { row in
            rows.append(columns.map { column in
                (row[column] as? String) ?? (row[column] as? NSNumber).map { "\($0.int64Value)" } ?? ""
            })
        }
        return PageTable(columns: columns, rows: rows)
    }

    /// The customers with the largest cost, largest first (ties: username
    /// in byte order), at most `topCount`.
    static func keepTop(_ top: [Customer], adding customer: Customer) -> [Customer] {
        func before(_ a: Customer, _ b: Customer) -> Bool {
            a.totalCost != b.totalCost ? a.totalCost > b.totalCost : a.username.utf8.lexicographicallyPrecedes(b.username.utf8)
        }
        if top.count == topCount, let last = top.last, !before(customer, last) { return top }
        var top = top
        top.insert(customer, at: top.firstIndex { before(customer, $0) } ?? top.endIndex)
        if top.count > topCount { top.removeLast() }
        return top
    }
}

import Foundation

/// What a day's page shows, read from the files of the day's folder and
/// nothing else: the manifest (the run's status) and the reports' JSON (the
/// sections). Numbers stay the text the engine wrote into the JSON, which is
/// the CSV's text, so a page can never disagree with a file.
struct DayPageModel {
    struct ReportStatus {
        let name: String
        let succeeded: Bool
        let error: String?
    }

    let date: String
    let zone: String
    let generatedAt: String
    let engineVersion: String
    let exitStatus: Int64
    /// Failed reports first, then the rest in the manifest's order.
    let reports: [ReportStatus]
    let sections: DaySections
    /// The headline of the day before, from its manifest beside this day's folder.
    let previousHeadline: [String: JSONValue]
    /// Reports whose numbers changed from the folder this night replaced.
    let restated: [(report: String, rows: String)]

    /// Reads the day in `folder`; `sections` when the caller has read them
    /// already (the nightly run, for the manifest's headline).
    init(folder: String, sections: DaySections? = nil) throws(EngineError) {
        let file = folder + "/manifest.json"
        let manifest = try ReportJSONFile(path: file).members
        date = try manifest.text("date", in: file)
        zone = try manifest.text("tz", in: file)
        generatedAt = try manifest.text("finished_at", in: file)
        engineVersion = try manifest.text("engine_version", in: file)
        exitStatus = try manifest.integer("exit_status", in: file)
        guard let reportList = manifest["reports"] as? [[String: Any]] else { throw .badInput("\(file): \"reports\" is not a list") }
        var statuses: [ReportStatus] = []
        for report in reportList {
            statuses.append(ReportStatus(name: try report.text("name", in: file), succeeded: report.optionalText("status") == "ok",
                                         error: report.optionalText("error")))
        }
        reports = statuses.filter { !$0.succeeded } + statuses.filter(\.succeeded)
        restated = (manifest["restated"] as? [[String: Any]] ?? []).map { entry in
            let files = entry["files"] as? [[String: Any]] ?? []
            let rows = files.map { file in "\(file["name"] as? String ?? "?"): \((file["previous_rows"] as? NSNumber)?.stringValue ?? "?") → \((file["rows"] as? NSNumber)?.stringValue ?? "?") rows" }
            return (entry["report"] as? String ?? "?", rows.joined(separator: ", "))
        }
        previousHeadline = CivilDate(date).flatMap { DayManifest.dayBefore($0, beside: folder) }?.headlineValues ?? [:]
        if let sections {
            self.sections = sections
        } else {
            self.sections = try DaySections(folder: folder, written: Set(reports.filter(\.succeeded).map(\.name)))
        }
    }
}

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

    struct Reconciliation {
        let status: String
        let balanced: Bool
        let openingBalance: String
        let closingBalance: String
        let netChange: String
        /// Every discrepancy type with its count, in the summary's order.
        let counts: [(type: String, count: Int64)]
        /// The first rows of the discrepancy list, with the columns.
        let columns: [String]
        let firstRows: [[String]]
        let total: Int64
        /// Payment and credit refunds of the day: kind, count, sum.
        let refunds: [[String]]
        /// Per age bucket: bucket, pending count and sum, disputed count and sum.
        let ageing: [[String]]
    }

    /// The day's figures for the headline and the output folder's index.
    struct Headline {
        var sessionsStarted: Int64?
        var sessionsCompleted: Int64?
        var totalCost: String?
        var tokens: Int64?
        var toolExecutions: Int64?
        var reconciliationStatus: String?
        var discrepancies: Int64?

        var json: JSONValue {
            .object([("sessions_started", sessionsStarted.map(JSONValue.integer) ?? .null),
                     ("sessions_completed", sessionsCompleted.map(JSONValue.integer) ?? .null),
                     ("total_cost", totalCost.map(JSONValue.string) ?? .null),
                     ("total_tokens", tokens.map(JSONValue.integer) ?? .null),
                     ("tool_executions", toolExecutions.map(JSONValue.integer) ?? .null),
                     ("reconciliation_status", reconciliationStatus.map(JSONValue.string) ?? .null),
                     ("discrepancies", discrepancies.map(JSONValue.integer) ?? .null)])
        }
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
            reconciliation = try Self.reconciliation(summaryPath: summaryPath, listPath: path("reconciliation_discrepancies"))
            headline.reconciliationStatus = reconciliation?.status
            headline.discrepancies = reconciliation?.total
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

    private static func reconciliation(summaryPath: String, listPath: String?) throws(EngineError) -> Reconciliation {
        let summary: [String: Any]
        do {
            guard let data = FileManager.default.contents(atPath: summaryPath),
                  let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw EngineError.badInput("\(summaryPath): not a JSON object")
            }
            summary = object
        } catch let error as EngineError {
            throw error
        } catch {
            throw .badInput("\(summaryPath): not JSON (\(error.localizedDescription))")
        }
        let countsObject = summary["discrepancy_counts"] as? [String: Any] ?? [:]
        let counts = DiscrepancyType.allCases.map { (type: $0.rawValue, count: (countsObject[$0.rawValue] as? NSNumber)?.int64Value ?? 0) }
        var rows: [[String]] = []
        var columns: [String] = Discrepancy.columns.map(\.name)
        if let listPath {
            let file = try ReportJSONFile(path: listPath) { row in
                guard rows.count < discrepancyRowsShown else { return }
                rows.append(columns.map { (row[$0] as? String) ?? "" })
            }
            columns = (file.members["columns"] as? [String]) ?? columns
        }
        func countAndSum(_ object: Any?) -> [String] {
            let entry = object as? [String: Any]
            return [(entry?["count"] as? NSNumber).map { "\($0.int64Value)" } ?? "", entry?["sum"] as? String ?? ""]
        }
        let refunds = ["payment", "credit"].map { [$0] + countAndSum((summary["refunds"] as? [String: Any])?[$0]) }
        let ageing = ["0_1_days", "2_7_days", "8_30_days", "over_30_days"].map { bucket in
            [bucket] + countAndSum((summary["pending_ageing"] as? [String: Any])?[bucket])
                + countAndSum((summary["disputed_ageing"] as? [String: Any])?[bucket])
        }
        return Reconciliation(status: try summary.text("status", in: summaryPath), balanced: summary["balanced"] as? Bool ?? false,
                              openingBalance: try summary.text("opening_balance_total", in: summaryPath),
                              closingBalance: try summary.text("closing_balance_total", in: summaryPath),
                              netChange: try summary.text("net_change", in: summaryPath), counts: counts, columns: columns,
                              firstRows: rows, total: try summary.integer("discrepancies", in: summaryPath),
                              refunds: refunds, ageing: ageing)
    }
}

/// `keen-reports rollup` (WRITES.md): makes the rows of `daily_usage_stats`
/// for each day equal to the `daily_usage` report of that day. Each day is
/// one repeatable-read transaction that reads the report and writes it, so
/// readers see a day's old rows or its new ones: upserted on (user_id,
/// date_bucket), `created_at` kept, rows of users no longer in the report
/// deleted, rows already equal left untouched (a rerun changes nothing).
public struct DailyUsageRollup {
    /// What one day did, or would do (`dryRun`).
    public struct Day: Sendable {
        public let date: CivilDate
        public let inserted: Int
        public let updated: Int
        public let deleted: Int
        /// Why the day failed; nothing of it changed.
        public let error: String?
    }

    let catalog: ReportCatalog

    public init(catalog: ReportCatalog) {
        self.catalog = catalog
    }

    /// The table's integer columns, each filled from the report's column of
    /// the same name.
    static let integerColumns = [
        "sessions_started", "sessions_completed", "sessions_failed", "total_session_time_seconds",
        "explore_phase_time_seconds", "plan_phase_time_seconds", "found_phase_time_seconds", "summon_phase_time_seconds",
        "complete_phase_time_seconds", "agents_spawned", "max_recursion_depth", "tool_executions",
        "total_tokens_consumed", "files_modified", "files_created", "git_operations",
    ]
    /// DECIMAL(10,6): below 10,000 in magnitude.
    static let costLimit = ExactDecimal(units: 10_000_000_000, scale: 6)

    public func run(days: [CivilDate], zone: ReportTimeZone, settings: ConnectionSettings, dryRun: Bool,
                    statementTimeout: StatementTimeout = .standard,
                    onDay: (Day) -> Void = { _ in }) throws -> [Day] {
        let report = try catalog.report(named: "daily_usage")
        let query = catalog.query(named: report.queries[0])
        let columns = report.outputs[0].columns.map(\.name)
        let connection = try PostgresConnection(settings)
        try WriteTarget.rollup.verify(on: connection, checkPrivileges: !dryRun)
        var results: [Day] = []
        for date in days.sorted() {
            let parameters = try ReportParameters(window: ReportWindow(days: date, through: date, zone: zone))
            let transaction = try ReportTransaction(connection: connection, parameters: parameters, statementTimeout: statementTimeout,
                                                    readOnly: dryRun)
            if results.isEmpty { try RowSecurityCheck(queries: [query], tenant: false).verify(on: connection) }
            var rows = TableColumns()
            var overflow: String?
            try transaction.stream(query) { result in
                try result.require(exactly: columns, for: report.name)
                return { row in
                    guard overflow == nil else { return }
                    if let problem = try rows.append(row, columns: result, date: date) { overflow = problem.message }
                }
            }
            let day: Day
            if let overflow {
                try transaction.rollback()
                day = Day(date: date, inserted: 0, updated: 0, deleted: 0, error: overflow)
            } else {
                let counts = try connection.execute(dryRun ? Self.countSQL : Self.upsertSQL, rows.parameters(date: date))
                dryRun ? try transaction.rollback() : try transaction.commit()
                day = Day(date: date, inserted: Int(counts["inserted"] ?? "0") ?? 0, updated: Int(counts["updated"] ?? "0") ?? 0,
                          deleted: Int(counts["deleted"] ?? "0") ?? 0, error: nil)
            }
            onDay(day)
            results.append(day)
        }
        return results
    }

    /// The day's rows as the table's columns, each an array bound as one
    /// parameter ($1 user ids, $2 the day, $3... the integer columns, then
    /// the cost and the tool lists).
    struct TableColumns {
        private var userIDs: [String] = []
        private var integers = Array(repeating: [String](), count: DailyUsageRollup.integerColumns.count)
        private var costs: [String] = []
        private var tools: [String?] = []

        /// Adds a report row, or says why a value does not fit the table's
        /// column: never clipped.
        mutating func append(_ row: CopyRow, columns: ResultColumns, date: CivilDate) throws -> EngineError? {
            func index(_ name: String) throws(EngineError) -> Int { try columns.position(of: name) }
            let userID = try row.uuid(try index("user_id")) ?? ""
            func problem(_ column: String, _ value: String, _ type: String) -> EngineError {
                .engine("rollup \(date): user \(userID) has \(column) = \(value), which does not fit daily_usage_stats.\(column) (\(type)); the day is left unchanged")
            }
            var values: [String] = []
            for name in DailyUsageRollup.integerColumns {
                let value = try row.integer(try index(name)) ?? 0
                guard value >= Int64(Int32.min) && value <= Int64(Int32.max) else { return problem(name, String(value), "INTEGER") }
                values.append(String(value))
            }
            let cost = (try row.decimal(try index("total_cost")) ?? .zero).rounded(toScale: 6)
            guard (cost.isNegative ? -cost : cost) < DailyUsageRollup.costLimit else {
                return problem("total_cost", cost.formatted(places: 6), "DECIMAL(10,6)")
            }
            userIDs.append(userID)
            for (column, value) in values.enumerated() { integers[column].append(value) }
            costs.append(cost.formatted(places: 6))
            tools.append(ArrayLiteral.text(try row.textArray(try index("unique_tools_used")) ?? []))
            return nil
        }

        func parameters(date: CivilDate) -> [String?] {
            [ArrayLiteral.plain(userIDs), date.description] + integers.map(ArrayLiteral.plain)
                + [ArrayLiteral.plain(costs), ArrayLiteral.text(tools)]
        }
    }

    // MARK: - SQL, built from the engine's own column names; values come as bound arrays (TableColumns)

    private static let allColumns = integerColumns + ["total_cost", "unique_tools_used"]

    private static let incoming = """
        incoming AS (
            SELECT user_id, \(integerColumns.joined(separator: ", ")), total_cost, tools::text[] AS unique_tools_used
            FROM unnest($1::uuid[], \(integerColumns.indices.map { "$\($0 + 3)::int4[]" }.joined(separator: ", ")), \
        $\(integerColumns.count + 3)::numeric(10,6)[], $\(integerColumns.count + 4)::text[])
                 AS r(user_id, \(integerColumns.joined(separator: ", ")), total_cost, tools)
        )
        """

    private static func tuple(_ alias: String) -> String {
        "(" + allColumns.map { "\(alias).\($0)" }.joined(separator: ", ") + ")"
    }

    static let upsertSQL = """
        WITH \(incoming),
        upserted AS (
            INSERT INTO daily_usage_stats AS d (user_id, date_bucket, \(allColumns.joined(separator: ", ")))
            SELECT user_id, $2::date, \(allColumns.joined(separator: ", ")) FROM incoming
            ON CONFLICT (user_id, date_bucket) DO UPDATE
            SET \(allColumns.map { "\($0) = EXCLUDED.\($0)" }.joined(separator: ", "))
            WHERE \(tuple("d")) IS DISTINCT FROM \(tuple("EXCLUDED"))
            RETURNING (xmax = 0) AS inserted
        ),
        deleted AS (
            DELETE FROM daily_usage_stats d
            WHERE d.date_bucket = $2::date AND NOT EXISTS (SELECT 1 FROM incoming i WHERE i.user_id = d.user_id)
            RETURNING 1
        )
        SELECT (SELECT count(*) FROM upserted WHERE inserted) AS inserted, (SELECT count(*) FROM upserted WHERE NOT inserted) AS updated,
               (SELECT count(*) FROM deleted) AS deleted
        """

    static let countSQL = """
        WITH \(incoming),
        existing AS (SELECT * FROM daily_usage_stats WHERE date_bucket = $2::date)
        SELECT (SELECT count(*) FROM incoming i WHERE NOT EXISTS (SELECT 1 FROM existing e WHERE e.user_id = i.user_id)) AS inserted,
               (SELECT count(*) FROM incoming i JOIN existing e ON e.user_id = i.user_id WHERE \(tuple("e")) IS DISTINCT FROM \(tuple("i"))) AS updated,
               (SELECT count(*) FROM existing e WHERE NOT EXISTS (SELECT 1 FROM incoming i WHERE i.user_id = e.user_id)) AS deleted
        """
}

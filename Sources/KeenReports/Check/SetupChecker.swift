import Foundation

/// `keen-reports check`: every check a command makes before it reads, and
/// some it cannot afford at night, without reading a report or writing
/// anything (no file, no lock file, no row; the one transaction it opens, to
/// try the time zones, is rolled back). CLI.md, "check: will tonight's run
/// work?".
public struct SetupChecker {
    /// The command to check, with the options it was given.
    public struct Plan: Sendable {
        public enum Command: Sendable {
            case nightly
            case run(reports: [String], userID: String?)
            case reconcile(mark: Bool, dryRun: Bool)
            case rollup(dryRun: Bool)
        }

        public var command: Command
        /// `--catalog`, or nil to find it as the command would.
        public var catalogDirectory: String?
        public var servers: [ConnectionSettings]
        public var replica: ReplicaOptions
        /// The end of the (last) window the command reads: the standby must hold it.
        public var windowEnd: Timestamp
        public var zones: [ReportTimeZone]
        /// nil for rollup, which writes no files.
        public var outputDirectory: String?
        public var stripeExport: String?
        public var statementTimeout: StatementTimeout
        /// `--deliver`, for nightly.
        public var deliveryFile: String?

        public init(command: Command, catalogDirectory: String?, servers: [ConnectionSettings], replica: ReplicaOptions,
                    windowEnd: Timestamp, zones: [ReportTimeZone], outputDirectory: String?, stripeExport: String?,
                    statementTimeout: StatementTimeout, deliveryFile: String? = nil) {
            self.command = command
            self.catalogDirectory = catalogDirectory
            self.servers = servers
            self.replica = replica
            self.windowEnd = windowEnd
            self.zones = zones
            self.outputDirectory = outputDirectory
            self.stripeExport = stripeExport
            self.statementTimeout = statementTimeout
            self.deliveryFile = deliveryFile
        }

        var name: String {
            switch command {
            case .nightly: "nightly"
            case .run: "run"
            case .reconcile(let mark, let dryRun): mark ? (dryRun ? "reconcile --mark --dry-run" : "reconcile --mark") : "reconcile"
            case .rollup(let dryRun): dryRun ? "rollup --dry-run" : "rollup"
            }
        }

        /// What the command writes to the database, and whether it would check the privileges.
        var writeTarget: (target: WriteTarget, privileges: Bool)? {
            switch command {
            case .reconcile(true, let dryRun): (WriteTarget.marking, !dryRun)
            case .rollup(let dryRun): (WriteTarget.rollup, !dryRun)
            default: nil
            }
        }
    }

    public init() {}

    public func check(_ plan: Plan) -> [SetupCheck] {
        var checks: [SetupCheck] = []
        let catalog: ReportCatalog
        do {
            catalog = try ReportCatalog(directory: ReportCatalog.locate(explicit: plan.catalogDirectory))
            checks.append(.ok("catalogue", "\(catalog.reports.count) reports, \(catalog.queries.count) queries in \(catalog.directory.path)"))
        } catch {
            return [.fail("catalogue", error)]
        }
        let queries: [QueryFile]
        do {
            queries = try readQueries(plan, catalog: catalog)
        } catch {
            return checks + [.fail("reports", error)]
        }
        if let directory = plan.outputDirectory {
            let folder = OutputFolderCheck(path: directory)
            checks.append(folder.writable())
            checks.append(folder.space())
            if case .nightly = plan.command {
                checks.append(folder.lock())
                if let closes = folder.closes() { checks.append(closes) }
            }
            if let longest = folder.longestReport, case let limit = plan.statementTimeout.seconds, limit > 0,
               limit < longest.seconds {
                checks.append(.warn("statement timeout", """
                    --statement-timeout \(plan.statementTimeout) is shorter than \(longest.name) took on \(longest.day) \
                    (\(String(format: "%.1f", longest.seconds)) s)
                    """, fix: "raise --statement-timeout above \(Int(longest.seconds.rounded(.up))) s, with room for growth"))
            }
        }
        if let path = plan.deliveryFile { checks += DeliveryCheck(path: path).checks() }
        if let path = plan.stripeExport {
            do {
                checks.append(.ok("stripe export", "\(try StripeExport.read(path: path).count) payments in \(path)"))
            } catch {
                checks.append(.fail("stripe export", error))
            }
        }
        for server in plan.servers {
            let prefix = plan.servers.count > 1 ? "\(server.safeDescription): " : ""
            checks += checkServer(server, plan: plan, queries: queries, catalog: catalog).map {
                SetupCheck(check: $0.check, result: $0.result, detail: prefix + $0.detail, fix: $0.fix, status: $0.status)
            }
        }
        return checks
    }

    /// The queries the command runs, whose tables it reads.
    private func readQueries(_ plan: Plan, catalog: ReportCatalog) throws(EngineError) -> [QueryFile] {
        switch plan.command {
        case .nightly:
            return NightlyJob.all(in: catalog).flatMap(\.queryNames).map(catalog.query(named:))
        case .run(let names, let userID):
            let reports = try names.map { name throws(EngineError) in try catalog.report(named: name) }
            if userID != nil, let report = reports.first(where: { $0.platformWide == true }) {
                throw .usage("\(report.name) is platform-wide: it has no per-user rows, so --user-id cannot restrict it; run it without --user-id")
            }
            return reports.flatMap { $0.queries.map(catalog.query(named:)) }
        case .reconcile:
            return Reconciler.queries.map(catalog.query(named:))
        case .rollup:
            return try catalog.report(named: "daily_usage").queries.map(catalog.query(named:))
        }
    }

    private func checkServer(_ server: ConnectionSettings, plan: Plan, queries: [QueryFile], catalog: ReportCatalog) -> [SetupCheck] {
        let connection: PostgresConnection
        do {
            connection = try PostgresConnection(server)
        } catch {
            return [.fail("connection", error)]
        }
        var checks: [SetupCheck] = []
        do {
            let row = try connection.execute("""
                SELECT current_setting('server_version') AS version, current_user::text AS role,
                       current_database()::text AS database, pg_is_in_recovery()::text AS standby,
                       current_setting('hot_standby_feedback') AS feedback
                """).rowsByName[0]
            let (host, port) = connection.server
            let standby = row["standby"] == "true"
            checks.append(.ok("connection", "\(row["role"] ?? "?")@\(host):\(port)/\(row["database"] ?? "?"), PostgreSQL \(row["version"] ?? "?"), \(standby ? "standby" : "primary")"))
            if let write = plan.writeTarget, standby {
                checks.append(.fail("server", write.target.standbyRefused))
            } else if standby {
                checks += try standbyChecks(connection, plan: plan, feedback: row["feedback"] == "on")
            }
            checks += zoneChecks(connection, zones: plan.zones)
            let tenant: Bool
            if case .run(_, let userID) = plan.command { tenant = userID != nil } else { tenant = false }
            let offersTenant: Bool
            if case .run = plan.command { offersTenant = true } else { offersTenant = false }
            for access in try RowSecurityCheck(queries: queries, tenant: tenant, offersTenant: offersTenant).tables(on: connection) {
                if let problem = access.problem {
                    checks.append(.fail("table \(access.table)", problem))
                } else {
                    checks.append(.ok("table \(access.table)", "\(access.role) may read every row"))
                }
            }
            checks += QueryShapeCheck(queries: queries, catalog: catalog).checks(on: connection)
            if let write = plan.writeTarget, !standby, write.privileges {
                for grant in try write.target.grants(on: connection) {
                    checks.append(grant.granted ? .ok("privilege", "\(grant.privilege.grant)") : .fail("privilege", grant.problem))
                }
            }
            checks += try indexChecks(connection, plan: plan, catalog: catalog)
        } catch {
            checks.append(.fail("server", error))
        }
        return checks
    }

    /// Is the window's end replayed, and if not, can it be.
    private func standbyChecks(_ connection: PostgresConnection, plan: Plan, feedback: Bool) throws(EngineError) -> [SetupCheck] {
        var checks: [SetupCheck] = []
        let target = try StandbyFreshness.Target(windowEnd: plan.windowEnd, primary: plan.replica.primary)
        let reading = try StandbyFreshness.read(connection, target)
        if reading.holdsTarget {
            checks.append(.ok("standby", "replayed to \(reading.replayLSN); it holds \(target.wanted)"))
        } else if !target.fromPrimary, let hopeless = reading.hopeless {
            checks.append(.fail("standby", EngineError(.locked, "it cannot show it holds the window up to \(target.position): \(hopeless); its last replayed transaction committed at \(reading.lastTransaction)"),
                                fix: "resume replay, or pass --primary-url to wait for the primary's WAL position"))
        } else {
            checks.append(.warn("standby", "it has not replayed \(target.wanted) yet: \(reading.behind(target))",
                                fix: "the command would wait up to --replica-wait (\(StandbyFreshness.duration(plan.replica.waitSeconds))) for it"))
        }
        if !feedback {
            checks.append(.warn("hot_standby_feedback", "off: replay may cancel a long report (the command retries it 3 times, then exits 70)",
                                fix: "ALTER SYSTEM SET hot_standby_feedback = on on the standby, then SELECT pg_reload_conf()"))
        }
        return checks
    }

    /// Each zone is one the server knows: tried in a transaction rolled back.
    private func zoneChecks(_ connection: PostgresConnection, zones: [ReportTimeZone]) -> [SetupCheck] {
        var seen = Set<String>()
        return zones.filter { seen.insert($0.identifier).inserted }.map { zone -> SetupCheck in
            // The zone set as a report's transaction sets it, then rolled
            // back (whether it began, failed, or was never begun).
            defer { _ = try? connection.execute("ROLLBACK") }
            do throws(EngineError) {
                _ = try ReportTransaction(connection: connection, settings: [("TimeZone", zone.identifier)])
                return .ok("time zone", "\(zone.identifier) is known to the server")
            } catch where error.subject == .timeZone {
                return .fail("time zone", error, fix: "update the server's time zone data (tzdata), or use another name")
            } catch {
                return .fail("time zone", error)
            }
        }
    }

    /// The optional indexes that speed up this command, each present or a warning with its cost.
    private func indexChecks(_ connection: PostgresConnection, plan: Plan, catalog: ReportCatalog) throws(EngineError) -> [SetupCheck] {
        let command = plan.name.split(separator: " ").first.map(String.init) ?? plan.name
        return try OptionalIndex.all(in: catalog.directory).filter { $0.commands.contains(command) }.map { index throws(EngineError) in
            let present = try connection.execute("SELECT (to_regclass($1) IS NOT NULL)::text AS present", [index.name])["present"] == "true"
            return present ? .ok("index \(index.name)", "present")
                : .warn("index \(index.name)", "missing; \(index.cost)", fix: "psql \"$PRIMARY_URL\" -f \(index.file) (as the table's owner, on the primary)")
        }
    }
}

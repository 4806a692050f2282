import Foundation
import Logging

/// `keen-reports nightly`: every report of the catalogue that the nightly
/// run includes, plus the reconciliation, for whole days, each day from one
/// snapshot shared by `jobs` connections, into a folder that appears whole.
public struct NightlyRunner: Sendable {
    public struct Options: Sendable {
        public let dates: [CivilDate]
        public let zone: ReportTimeZone
        public let jobs: Int
        public let stripeExport: String?
        /// The reconciliation's `--tolerance`.
        public let tolerance: ExactDecimal
        public let formats: Set<OutputOptions.Format>
        public let outputDirectory: String
        public let metricsFile: String?
        public let statementTimeout: StatementTimeout
        /// The servers to read from: one, or several a backfill spreads its days over.
        public let servers: [ConnectionSettings]
        public let replica: ReplicaOptions
        /// The reconciliation reads the whole ledger when this many days have
        /// passed since its last full pass (and with `fullPass`, always).
        public var fullPassEvery = 7
        public var fullPass = false
        /// The reconciliation's `--metrics-tz`.
        public var metricsZone = ReportTimeZone.utc
        /// `--deliver`: where each day goes once it is in place.
        public var delivery: DeliveryFile?

        public init(dates: [CivilDate], zone: ReportTimeZone, jobs: Int = 2, stripeExport: String? = nil,
                    tolerance: ExactDecimal = .zero, formats: Set<OutputOptions.Format> = OutputOptions.Format.defaults,
                    outputDirectory: String, metricsFile: String? = nil,
                    statementTimeout: StatementTimeout = .standard, connection: ConnectionSettings,
                    moreServers: [ConnectionSettings] = [], replica: ReplicaOptions = ReplicaOptions()) {
            self.dates = dates
            self.zone = zone
            self.jobs = max(1, jobs)
            self.stripeExport = stripeExport
            self.tolerance = tolerance
            self.formats = formats
            self.outputDirectory = outputDirectory
            self.metricsFile = metricsFile
            self.statementTimeout = statementTimeout
            servers = [connection] + moreServers
            self.replica = replica
        }
    }

    let catalog: ReportCatalog
    let log: Logger
    /// Called once a day's snapshot is exported, before any report runs
    /// (tests use it to write to the database mid-run).
    public var afterSnapshot: (@Sendable () throws -> Void)?

    public init(catalog: ReportCatalog, log: Logger) {
        self.catalog = catalog
        self.log = log
    }

    /// Runs every day of `options.dates`, oldest first; returns the worst
    /// exit status of the days (a failed report 70, discrepancies 1).
    public func run(_ options: Options) throws -> ExitStatus {
        try ReportRunner.prepareDirectory(options.outputDirectory)
        let lock = try RunLock(directory: options.outputDirectory)
        defer { withExtendedLifetime(lock) {} }
        for leftover in Leftovers.remove(in: options.outputDirectory) { log.leftoverRemoved(leftover.path, pid: leftover.pid) }
        let payments = try options.stripeExport.map { path throws(EngineError) in try StripeExport.read(path: path) }

        let started = Date()
        let days = DayQueue(options.dates.sorted(), workers: options.servers.count)
        var finished: [DayOutcome]
        if options.servers.count == 1 || days.count == 1 {
            finished = runDays(days, worker: 0, on: options.servers, options: options, payments: payments)
        } else {
            // One worker per server, each taking the next day.
            let outcomes = DayOutcomes()
            let runner = self
            Parallel.run(options.servers.count, { worker in
                outcomes.append(runner.runDays(days, worker: worker, on: [options.servers[worker]], options: options, payments: payments))
            }, meanwhile: {})
            finished = outcomes.all
            // Days a server that stopped answering gave back after the other
            // workers had finished: each on the first server that answers.
            if !days.remaining.isEmpty && !finished.contains(where: { $0.error != nil }) {
                finished += runDays(DayQueue(days.takeAll()), worker: 0, on: options.servers, options: options, payments: payments)
            }
        }
        let written = finished.compactMap { outcome in outcome.results.map { (outcome.date, $0) } }.sorted { $0.0 < $1.0 }
        if !written.isEmpty {
            do { try PageRenderer.renderIndex(options.outputDirectory) } catch {
                log.pageFailed(options.outputDirectory + "/index.html", error)
            }
        }
        let last = written.last
        let unanswered = days.remaining.map { DayOutcome(date: $0, results: nil, error: EngineError.database("no server answered for \($0)")) }
        let deliveries = deliver(finished + unanswered, options: options)
        if let failure = finished.compactMap(\.error).first ?? (days.remaining.isEmpty ? nil : EngineError.database(
            "no server answered for \(days.remaining.map(\.description).joined(separator: ", "))")) {
            try writeMetrics(options, started: started, status: failure.status, date: last?.0, results: last?.1.1 ?? [], deliveries: deliveries)
            throw failure
        }
        var worst = written.map(\.1.0).reduce(ExitStatus.clean, Self.worse)
        // The files are complete, but someone who should have them does not: page the scheduler.
        if Deliverer.anyFailed(deliveries) { worst = Self.worse(worst, .engineFailure) }
        try writeMetrics(options, started: started, status: worst, date: last?.0, results: last?.1.1 ?? [], deliveries: deliveries)
        return worst
    }

    /// Takes `worker`'s days from `days` until none is left or one fails,
    /// each on the first of `servers` that answers; when none answers, the
    /// day goes back for another worker.
    private func runDays(_ days: DayQueue, worker: Int, on servers: [ConnectionSettings], options: Options,
                         payments: [StripePayment]?) -> [DayOutcome] {
        var outcomes: [DayOutcome] = []
        while let date = days.next(for: worker) {
            defer { days.finished(date) }
            var unreachable: EngineError?
            for server in servers {
                do {
                    let result = try RecoveryConflictRetry.run("the nightly run of \(date)", options: options.replica) { attempt in
                        try runDay(date, server: server, retries: attempt, options: options, payments: payments, days: days)
                    }
                    outcomes.append(DayOutcome(date: date, results: result, error: nil))
                    unreachable = nil
                    break
                } catch let error as EngineError where error.status == .databaseUnavailable {
                    unreachable = error
                } catch {
                    outcomes.append(DayOutcome(date: date, results: nil,
                                               error: error as? EngineError ?? .engine("\(error)")))
                    return outcomes
                }
            }
            if let unreachable {
                days.stop(worker, givingBack: date)
                if servers.count == 1 && options.servers.count > 1 { return outcomes }
                outcomes.append(DayOutcome(date: date, results: nil, error: unreachable))
                return outcomes
            }
        }
        return outcomes
    }

    private func writeMetrics(_ options: Options, started: Date, status: ExitStatus, date: CivilDate?,
                              results: [NightlyJobResult], deliveries: [Deliverer.Outcome]) throws(EngineError) {
        guard let path = options.metricsFile else { return }
        try PrometheusMetrics(finishedAt: Date(), durationSeconds: Date().timeIntervalSince(started), exitStatus: status,
                              date: date, results: results, deliveries: deliveries).write(to: path)
    }

    static func worse(_ a: ExitStatus, _ b: ExitStatus) -> ExitStatus {
        func rank(_ status: ExitStatus) -> Int { status == .clean ? 0 : status == .discrepancies ? 1 : 2 }
        return rank(b) > rank(a) ? b : a
    }

    static func timestamp(_ date: Date) -> Timestamp {
        Timestamp(unixMicroseconds: Int64(date.timeIntervalSince1970 * 1_000_000))
    }
}

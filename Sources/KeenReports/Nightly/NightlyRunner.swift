import Foundation
import Synchronization
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
        public let statementTimeout: String
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
                    statementTimeout: String = ReportRunner.defaultStatementTimeout, connection: ConnectionSettings,
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
            var unreachable: EngineError?
            for server in servers {
                do {
                    let result = try RecoveryConflictRetry.run("the nightly run of \(date)", options: options.replica) { attempt in
                        try runDay(date, server: server, retries: attempt, options: options, payments: payments)
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

    /// One day: its reports into a staging folder, the manifest last, then
    /// the folder swapped in place of the day's old one.
    func runDay(_ date: CivilDate, server: ConnectionSettings, retries: Int, options: Options,
                payments: [StripePayment]?) throws -> (ExitStatus, [NightlyJobResult]) {
        let started = Date()
        let window = try ReportWindow(days: date, through: date, zone: options.zone)
        let parameters = try ReportParameters(window: window)
        let folder = options.outputDirectory + "/" + date.description
        let staging = options.outputDirectory + "/.\(date).staging-\(getpid())"
        try? FileManager.default.removeItem(atPath: staging)
        try ReportRunner.prepareDirectory(staging)
        TemporaryFiles.shared.registerFolder(staging)
        defer { TemporaryFiles.shared.unregisterFolder(staging) }
        do {
            let connection = try PostgresConnection(server)
            let serverState = try StandbyFreshness.ensure(connection, windowEnd: window.to, options: options.replica)
            let transaction = try ReportTransaction(connection: connection, parameters: parameters, statementTimeout: options.statementTimeout)
            let jobs = NightlyJob.all(in: catalog)
            try RowSecurityCheck(queries: jobs.flatMap(\.queryNames).map(catalog.query(named:)), tenant: false)
                .verify(on: connection)
            let snapshot = try transaction.exportSnapshot()
            try afterSnapshot?()

            let queue = NightlyJobQueue(jobs)
            var reconciliation = try Reconciler.Options(window: window, tolerance: options.tolerance, stripePayments: payments,
                                                       stripeExportName: options.stripeExport, formats: options.formats)
            reconciliation.nightly = ledgerStart(date, window: window, options: options)
            reconciliation.metricsZone = options.metricsZone
            let context = JobContext(catalog: catalog, parameters: parameters, reconciliation: reconciliation,
                                     output: OutputOptions(directory: staging, formats: options.formats), folder: staging,
                                     date: date, log: log)

            // Workers import the exported snapshot; this thread's transaction
            // stays open (and so the snapshot valid) until they are done.
            let timeout = options.statementTimeout
            let log = self.log
            Parallel.run(min(options.jobs, jobs.count) - 1, { _ in
                // A worker that cannot join leaves its share to the others, and says so.
                do {
                    let transaction = try ReportTransaction(connection: try PostgresConnection(server), parameters: parameters,
                                                            statementTimeout: timeout, snapshot: snapshot)
                    context.work(queue, transaction: transaction)
                    try transaction.commit()
                } catch {
                    log.workerFailed(date: date, error)
                }
            }, meanwhile: { context.work(queue, transaction: transaction) })
            try transaction.commit()

            let order = jobs.flatMap(\.reports)
            let results = queue.finished.sorted { order.firstIndex(of: $0.name)! < order.firstIndex(of: $1.name)! }
            if let conflict = results.first(where: \.recoveryConflict) {
                throw EngineError(.engineFailure, "report \(conflict.name): \(conflict.error ?? "cancelled")", recoveryConflict: true)
            }
            let status: ExitStatus = results.contains { !$0.succeeded } ? .engineFailure
                : results.contains { ($0.discrepancyCounts?.values.reduce(0, +) ?? 0) > 0 } ? .discrepancies : .clean
            let sections: DaySections?
            do { sections = try DaySections(folder: staging, written: Set(results.filter(\.succeeded).map(\.name))) } catch {
                // The files are written; only the headline and the page lack them.
                log.pageFailed(staging + "/index.html", error)
                sections = nil
            }
            var manifest = NightlyManifest(date: date, window: window, snapshot: snapshot, jobs: options.jobs,
                                           stripeExport: options.stripeExport,
                                           startedAt: Self.timestamp(started), finishedAt: Self.timestamp(Date()),
                                           results: results, exitStatus: status, headline: sections?.headline.json,
                                           server: serverState, retries: retries)
            manifest.restated = try Restatement.compare(results, staging: staging, replacing: folder)
            if !manifest.restated.isEmpty { log.dayRestated(date: date, manifest.restated) }
            let manifestFile = try AtomicFile(path: staging + "/manifest.json")
            try manifestFile.write(try manifest.json(folder: staging).serialized(indent: 0) + "\n")
            try manifestFile.commit()
            // The page is a view of the files, made after them; it is not in the manifest.
            do { try PageRenderer.renderDay(staging, sections: sections) } catch { log.pageFailed(staging + "/index.html", error) }
            try DirectorySwap.replace(folder, with: staging)
            log.dayFinished(date: date, folder: folder, status: status, durationSeconds: Date().timeIntervalSince(started))
            return (status, results)
        } catch {
            try? FileManager.default.removeItem(atPath: staging)
            throw error
        }
    }

    /// The days of a run still to do, shared by the servers' workers. Day i
    /// of the backfill belongs to worker i mod n, so the days are spread over
    /// the servers whatever their speed; a worker whose server stopped
    /// answering leaves its days to the others.
    final class DayQueue: Sendable {
        private struct State {
            var days: [(date: CivilDate, owner: Int)]
            var stopped: Set<Int> = []
        }

        private let state: Mutex<State>
        let count: Int

        init(_ days: [CivilDate], workers: Int = 1) {
            state = Mutex(State(days: days.enumerated().map { ($0.element, $0.offset % max(1, workers)) }))
            count = days.count
        }

        /// The next day for `worker`: its own first, then one whose worker stopped.
        func next(for worker: Int = 0) -> CivilDate? {
            state.withLock { state in
                guard let index = state.days.firstIndex(where: { $0.owner == worker })
                        ?? state.days.firstIndex(where: { state.stopped.contains($0.owner) }) else { return nil }
                return state.days.remove(at: index).date
            }
        }

        /// `worker` stops, its server not answering: `day` and its other days go to the rest.
        func stop(_ worker: Int, givingBack day: CivilDate) {
            state.withLock { state in
                state.stopped.insert(worker)
                state.days.insert((day, worker), at: 0)
            }
        }

        var remaining: [CivilDate] { state.withLock { $0.days.map(\.date) } }

        /// Empties the queue, returning its days.
        func takeAll() -> [CivilDate] {
            state.withLock { state in
                defer { state.days.removeAll() }
                return state.days.map(\.date)
            }
        }
    }

    /// What became of one day: its status and results, or the failure that
    /// ended the run.
    struct DayOutcome: Sendable {
        let date: CivilDate
        let results: (ExitStatus, [NightlyJobResult])?
        let error: EngineError?
    }

    final class DayOutcomes: Sendable {
        private let outcomes = Mutex<[DayOutcome]>([])
        func append(_ more: [DayOutcome]) { outcomes.withLock { $0 += more } }
        var all: [DayOutcome] { outcomes.withLock { $0 } }
    }

    /// Where a night's reconciliation starts: the newest trustworthy
    /// checkpoint, unless a full pass is due (none, `--full`, or the last full
    /// pass `fullPassEvery` days ago or more).
    func ledgerStart(_ date: CivilDate, window: ReportWindow, options: Options) -> Reconciler.NightlyLedger {
        if options.fullPass { return .init(date: date, checkpoint: nil, whyFull: "--full was given") }
        let (checkpoint, problem) = LedgerCheckpoint.newest(in: options.outputDirectory, before: date, windowStart: window.from)
        guard let checkpoint else { return .init(date: date, checkpoint: nil, whyFull: problem) }
        let age = date.daysSinceUnixEpoch - checkpoint.lastFullPass.daysSinceUnixEpoch
        if age >= Int64(options.fullPassEvery) {
            return .init(date: date, checkpoint: nil,
                         whyFull: "the last full pass was on \(checkpoint.lastFullPass), \(age) days ago (one at least every \(options.fullPassEvery))")
        }
        return .init(date: date, checkpoint: checkpoint, whyFull: nil)
    }

    static func worse(_ a: ExitStatus, _ b: ExitStatus) -> ExitStatus {
        func rank(_ status: ExitStatus) -> Int { status == .clean ? 0 : status == .discrepancies ? 1 : 2 }
        return rank(b) > rank(a) ? b : a
    }

    static func timestamp(_ date: Date) -> Timestamp {
        Timestamp(unixMicroseconds: Int64(date.timeIntervalSince1970 * 1_000_000))
    }
}

/// What every worker of one day shares; immutable.
private struct JobContext: @unchecked Sendable {
    let catalog: ReportCatalog
    let parameters: ReportParameters
    let reconciliation: Reconciler.Options
    let output: OutputOptions
    let folder: String
    let date: CivilDate
    let log: Logger

    /// Takes jobs until none are left. Each job runs under a savepoint, so
    /// a failed query does not abort the jobs after it on this connection.
    func work(_ queue: NightlyJobQueue, transaction: ReportTransaction) {
        while let job = queue.next() {
            let started = Date()
            let staging = StagedFiles()
            var results: [NightlyJobResult]
            do {
                try transaction.connection.execute("SAVEPOINT nightly_job")
                let (files, counts) = try run(job, transaction: transaction, staging: staging, started: started)
                try transaction.connection.execute("RELEASE SAVEPOINT nightly_job")
                try staging.commitAll()
                results = job.reports.map { report in
                    NightlyJobResult(name: report, succeeded: true, durationSeconds: Date().timeIntervalSince(started),
                                     files: files[report] ?? [], error: nil, discrepancyCounts: report == job.name ? counts : nil)
                }
            } catch {
                staging.discardAll()
                _ = try? transaction.connection.execute("ROLLBACK TO SAVEPOINT nightly_job")
                results = job.reports.map { report in
                    var result = NightlyJobResult(name: report, succeeded: false, durationSeconds: Date().timeIntervalSince(started),
                                                  files: [], error: (error as? EngineError)?.message ?? "\(error)", discrepancyCounts: nil)
                    result.recoveryConflict = (error as? EngineError)?.recoveryConflict ?? false
                    return result
                }
            }
            for result in results {
                queue.record(result)
                log.reportFinished(date: date, result)
            }
        }
    }

    private func run(_ job: NightlyJob, transaction: ReportTransaction, staging: StagedFiles,
                     started: Date) throws -> ([String: [NightlyJobResult.File]], [String: Int64]?) {
        switch job {
        case .report(let definition):
            let written = try ReportRunner(catalog: catalog).write(
                definition, transaction: transaction, parameters: parameters, options: output,
                staging: staging, progress: { rows in
                    log.reportProgress(date: date, report: definition.name, rows: rows, elapsed: Date().timeIntervalSince(started))
                })
            let files = written.flatMap { output in
                output.paths.map { NightlyJobResult.File(name: URL(fileURLWithPath: $0).lastPathComponent, rows: output.rows) }
            }
            return ([definition.name: files], nil)
        case .reconciliation:
            let outcome = try Reconciler(catalog: catalog).reconcile(reconciliation, transaction: transaction,
                                                                     directory: folder, staging: staging)
            if let pass = outcome.ledgerPass { log.ledgerPass(date: date, kind: pass.kind, note: pass.note) }
            let files = Dictionary(grouping: outcome.files, by: \.report).mapValues { files in
                files.map { NightlyJobResult.File(name: URL(fileURLWithPath: $0.path).lastPathComponent, rows: $0.rows) }
            }
            return (files, Dictionary(uniqueKeysWithValues: outcome.counts.map { ($0.key.rawValue, $0.value) }))
        }
    }
}

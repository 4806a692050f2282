import Foundation
import Logging

extension NightlyRunner {
    /// One day: its reports into a staging folder, the manifest last, then
    /// the folder swapped in place of the day's old one.
    func runDay(_ date: CivilDate, server: ConnectionSettings, retries: Int, options: Options,
                payments: [StripePayment]?, days: DayQueue) throws -> (ExitStatus, [NightlyJobResult]) {
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
            let session = ReadSession(settings: server, statementTimeout: options.statementTimeout, replica: options.replica)
            let (transaction, serverState) = try session.begin(parameters)
            let jobs = NightlyJob.all(in: catalog)
            try RowSecurityCheck(queries: jobs.flatMap(\.queryNames).map(catalog.query(named:)), tenant: false)
                .verify(on: transaction.connection)
            let snapshot = try transaction.exportSnapshot()
            try afterSnapshot?()

            let queue = NightlyJobQueue(jobs)
            var reconciliation = try Reconciler.Options(window: window, tolerance: options.tolerance, stripePayments: payments,
                                                       stripeExportName: options.stripeExport, formats: options.formats)
            let log = self.log
            reconciliation.nightly = ledgerStart(date, window: window, options: options) { [options] in
                // A backfill's days run side by side; tonight's register follows the day before's.
                days.waitWhileRunning(date.adding(days: -1))
                let history = ExceptionRegisterHistory(before: date, in: options.outputDirectory, metricsZone: options.metricsZone)
                for problem in history.rebuilt { log.registerRebuilt(date: date, problem) }
                return history
            }
            reconciliation.metricsZone = options.metricsZone
            let context = JobContext(catalog: catalog, parameters: parameters, reconciliation: reconciliation,
                                     output: OutputOptions(directory: staging, formats: options.formats), folder: staging,
                                     date: date, log: log)

            // Workers import the exported snapshot; this thread's transaction
            // stays open (and so the snapshot valid) until they are done.
            Parallel.run(min(options.jobs, jobs.count) - 1, { _ in
                // A worker that cannot join leaves its share to the others, and says so.
                do {
                    let transaction = try session.joining(snapshot, parameters: parameters)
                    context.work(queue, transaction: transaction)
                    try transaction.commit()
                } catch {
                    log.workerFailed(date: date, error)
                }
            }, meanwhile: { context.work(queue, transaction: transaction) })
            try transaction.commit()

            let order = jobs.flatMap(\.reports)
            let results = queue.finished.sorted { order.firstIndex(of: $0.name)! < order.firstIndex(of: $1.name)! }
            if let conflict = results.first(where: \.recoveryConflict), let failure = conflict.failure {
                throw failure.prefixed("report \(conflict.name)")
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
                                           server: serverState, retries: retries,
                                           digests: try NightlyManifest.digests(of: results, in: staging))
            manifest.finance = sections?.reconciliation?.register?.json
            manifest.restated = Restatement.compare(results, digests: manifest.digests, replacing: folder)
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
}

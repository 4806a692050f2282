import Foundation
import Logging

/// What every worker of one day shares; immutable.
struct JobContext: Sendable {
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
                                     files: files[report] ?? [], failure: nil, discrepancyCounts: report == job.name ? counts : nil)
                }
            } catch {
                staging.discardAll()
                _ = try? transaction.connection.execute("ROLLBACK TO SAVEPOINT nightly_job")
                let failure = error as? EngineError ?? .engine("\(error)")
                results = job.reports.map { report in
                    NightlyJobResult(name: report, succeeded: false, durationSeconds: Date().timeIntervalSince(started),
                                     files: [], failure: failure, discrepancyCounts: nil)
                }
            }
            for result in results {
                queue.record(result)
                log.reportFinished(date: date, result)
            }
        }
    }

    private func run(_ job: NightlyJob, transaction: ReportTransaction, staging: StagedFiles,
                     started: Date) throws -> ([String: [NightlyJobResult.File]], [DiscrepancyType: Int64]?) {
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
            return (files, outcome.counts)
        }
    }
}

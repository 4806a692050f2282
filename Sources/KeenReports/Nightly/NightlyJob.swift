import Foundation
import Synchronization

/// One unit of a nightly run: a report of the catalogue, or the
/// reconciliation. Jobs run in parallel on connections that share one
/// snapshot; each writes its own files and fails alone.
enum NightlyJob: Sendable {
    case report(ReportDefinition)
    case reconciliation

    var name: String {
        switch self {
        case .report(let definition): definition.name
        case .reconciliation: "reconciliation"
        }
    }

    /// The reports whose files it writes, each with a line in the manifest:
    /// the reconciliation also writes the reports of its ledger pass.
    var reports: [String] {
        switch self {
        case .report(let definition): [definition.name]
        case .reconciliation: ["reconciliation"] + Reconciler.nightlyReports
        }
    }

    var isReconciliation: Bool {
        if case .reconciliation = self { true } else { false }
    }

    /// The catalogue's queries it runs.
    /// A night's jobs: every nightly report the reconciliation does not
    /// write itself, then the reconciliation.
    static func all(in catalog: ReportCatalog) -> [NightlyJob] {
        catalog.reports.filter { $0.nightly && !Reconciler.nightlyReports.contains($0.name) }.map(NightlyJob.report) + [.reconciliation]
    }

    var queryNames: [String] {
        switch self {
        case .report(let definition): definition.queries
        case .reconciliation: Reconciler.queries
        }
    }
}

/// What a job did, for the manifest, the log and the metrics.
public struct NightlyJobResult: Sendable {
    public struct File: Sendable {
        public let name: String
        /// Data rows; nil for a file that is not a table (the summary).
        public let rows: Int64?
    }

    public let name: String
    public let succeeded: Bool
    public let durationSeconds: Double
    public let files: [File]
    /// Why it failed, as the engine said it (nil when it succeeded).
    public let failure: EngineError?
    /// Per discrepancy type, for the reconciliation job.
    public let discrepancyCounts: [DiscrepancyType: Int64]?

    public var error: String? { failure?.message }
    /// Failed because a hot standby's replay cancelled it: the day is retried.
    public var recoveryConflict: Bool { failure?.recoveryConflict ?? false }
}

/// The jobs still to run, shared by the workers.
final class NightlyJobQueue: Sendable {
    private struct State {
        var pending: [NightlyJob]
        var results: [NightlyJobResult] = []
    }

    private let state: Mutex<State>

    init(_ jobs: [NightlyJob]) {
        // The reconciliation first: it is the longest job of a night, and
        // handed out last it ran alone at the end while the other
        // connections had nothing left to do. The reports keep the
        // catalogue's order. Reversed, so popLast hands them out in order.
        state = Mutex(State(pending: (jobs.filter(\.isReconciliation) + jobs.filter { !$0.isReconciliation }).reversed()))
    }

    func next() -> NightlyJob? { state.withLock { $0.pending.popLast() } }
    func record(_ result: NightlyJobResult) { state.withLock { $0.results.append(result) } }
    var finished: [NightlyJobResult] { state.withLock { $0.results } }
}


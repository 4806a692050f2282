/// How a unit of work reads the database: which server, how long one query
/// may run, and how to treat a hot standby. It begins the unit's snapshot,
/// on a standby once it is fresh enough for the window, and lets more
/// connections join that snapshot (a split scan's ranges, a night's workers).
public struct ReadSession: Sendable {
    public let settings: ConnectionSettings
    public let statementTimeout: StatementTimeout
    public let replica: ReplicaOptions

    public init(settings: ConnectionSettings, statementTimeout: StatementTimeout = .standard,
                replica: ReplicaOptions = ReplicaOptions()) {
        self.settings = settings
        self.statementTimeout = statementTimeout
        self.replica = replica
    }

    /// A new connection's read-only transaction, once the server holds
    /// everything up to `parameters`' window end; and the server as it was.
    func begin(_ parameters: ReportParameters) throws(EngineError) -> (ReportTransaction, ServerState) {
        let connection = try PostgresConnection(settings)
        let server = try StandbyFreshness.ensure(connection, windowEnd: parameters.window.to, options: replica)
        return (try ReportTransaction(connection: connection, parameters: parameters, statementTimeout: statementTimeout), server)
    }

    /// A new connection's transaction on `snapshot`, which another
    /// transaction of the unit exported and keeps open.
    func joining(_ snapshot: String, parameters: ReportParameters) throws(EngineError) -> ReportTransaction {
        try ReportTransaction(connection: try PostgresConnection(settings), parameters: parameters, statementTimeout: statementTimeout,
                              snapshot: snapshot)
    }

    /// Runs `body` in a read-only snapshot on a new connection, with files
    /// staged in `directory`: the files are put in place only when `body`
    /// and the commit succeed, and removed otherwise. When a standby's
    /// replay cancels it, the whole unit starts again on a new snapshot.
    func inSnapshot<Result>(_ parameters: ReportParameters, directory: String,
                            _ body: (ReportTransaction, StagedFiles) throws -> Result) throws -> Result {
        try ReportRunner.prepareDirectory(directory)
        return try RecoveryConflictRetry.run("the run", options: replica) { _ in
            let (transaction, _) = try begin(parameters)
            let staging = StagedFiles()
            do {
                let result = try body(transaction, staging)
                try transaction.commit()
                try staging.commitAll()
                return result
            } catch {
                staging.discardAll()
                throw error
            }
        }
    }
}

import Logging

/// How reading commands treat a hot standby (CLI.md, Replicas): how to tell
/// it is fresh enough, how long to wait for it, and where to say so.
public struct ReplicaOptions: Sendable {
    /// `--primary-url`: wait for the primary's current WAL position rather
    /// than judge by the last replayed transaction's time.
    public var primary: ConnectionSettings?
    /// `--replica-wait`, in seconds.
    public var waitSeconds: Double
    /// Where waiting and retries are told (stderr by default).
    public var log: Logger
    /// Tries after the first when a recovery conflict cancels the unit.
    public var retries: Int

    public init(primary: ConnectionSettings? = nil, waitSeconds: Double = 600,
                log: Logger = Logger(label: "keen-reports"), retries: Int = 3) {
        self.primary = primary
        self.waitSeconds = waitSeconds
        self.log = log
        self.retries = retries
    }
}

import Foundation

/// A hot standby cancels a query (or ends an idle connection) that conflicts
/// with WAL replay. The whole unit (a `run`, a day of `nightly`) then starts
/// again on a new snapshot, after a growing pause, a few times; any other
/// failure is not retried.
enum RecoveryConflictRetry {
    /// Runs `unit(attempt)` (attempt 0 first) until it succeeds, fails
    /// otherwise, or has been cancelled by conflicts `options.retries + 1`
    /// times.
    static func run<Result>(_ what: String, options: ReplicaOptions,
                            _ unit: (_ attempt: Int) throws -> Result) throws -> Result {
        var attempt = 0
        while true {
            do {
                return try unit(attempt)
            } catch let error as EngineError where error.recoveryConflict {
                guard attempt < options.retries else {
                    throw EngineError(.engineFailure, """
                        \(what) was cancelled by conflicts with recovery on the standby \(attempt + 1) times (\(error.message)); \
                        set hot_standby_feedback = on, or raise max_standby_streaming_delay, on the standby
                        """)
                }
                attempt += 1
                let pause = Double(1 << (attempt - 1))
                options.log.warning("\(what) was cancelled by a conflict with recovery on the standby; retry \(attempt) of \(options.retries) on a new snapshot in \(Int(pause))s: \(error.message)",
                                    metadata: ["event": "standby.retry", "attempt": .stringConvertible(attempt)])
                Thread.sleep(forTimeInterval: pause)
            }
        }
    }
}

/// The exit statuses of REPORTS.md, one per kind of failure.
public enum ExitStatus: Int32, Sendable {
    case clean = 0
    case discrepancies = 1
    case usage = 64
    case badInput = 65
    case databaseUnavailable = 69
    case engineFailure = 70
    case outputFailure = 73
    case locked = 75
    case permissionDenied = 77
}

/// A failure the engine reports to its user: one line that says what failed
/// and what to do, and the exit status that goes with it. Messages never hold
/// a password (see `ConnectionSettings.redact`).
public struct EngineError: Error, CustomStringConvertible, Sendable {
    public let status: ExitStatus
    public let message: String
    /// A hot standby cancelled the statement, or ended the connection,
    /// because it conflicted with WAL replay: the unit may be retried on a
    /// new snapshot (`RecoveryConflictRetry`).
    public let recoveryConflict: Bool
    /// PostgreSQL's SQLSTATE, when the server failed the statement: code
    /// decides, never the message's text.
    public let sqlState: String?
    /// The value a user gave that the failure is about. The engine says
    /// what is wrong with the value (`'Mars/Base' is not a known IANA time
    /// zone`); the command line, which knows which option gave it, names
    /// the option (`--tz`).
    public let subject: Subject?

    public enum Subject: Sendable, Equatable {
        /// The report time zone.
        case timeZone
        /// The window's start, or its end, as text.
        case windowStart
        case windowEnd
        /// The tenant a run is restricted to.
        case userID
    }

    public init(_ status: ExitStatus, _ message: String, recoveryConflict: Bool = false, sqlState: String? = nil,
                subject: Subject? = nil) {
        self.status = status
        self.message = message
        self.recoveryConflict = recoveryConflict
        self.sqlState = sqlState
        self.subject = subject
    }

    public var description: String { message }

    /// The same failure, its message prefixed with where it happened.
    public func prefixed(_ context: String) -> EngineError {
        EngineError(status, "\(context): \(message)", recoveryConflict: recoveryConflict, sqlState: sqlState, subject: subject)
    }

    /// A value the user gave is not one the engine can use.
    public static func invalid(_ subject: Subject, _ message: String) -> EngineError {
        EngineError(.usage, message, subject: subject)
    }

    public static func usage(_ message: String) -> EngineError { EngineError(.usage, message) }
    public static func badInput(_ message: String) -> EngineError { EngineError(.badInput, message) }
    public static func database(_ message: String) -> EngineError { EngineError(.databaseUnavailable, message) }
    public static func engine(_ message: String) -> EngineError { EngineError(.engineFailure, message) }
    public static func output(_ message: String) -> EngineError { EngineError(.outputFailure, message) }
    public static func permission(_ message: String) -> EngineError { EngineError(.permissionDenied, message) }
}

import KeenReports

extension EngineError {
    /// The message as the command line says it: when the failure is about a
    /// value the user gave, the option that gave it comes first.
    var commandLineMessage: String {
        switch subject {
        case .timeZone?: "--tz \(message)"
        case .windowStart?: "--from \(message)"
        case .windowEnd?: "--to \(message)"
        case .userID?: "--user-id \(message)"
        case nil: message
        }
    }
}

/// One line of `keen-reports check`: what was checked, what was found, and
/// what to do when it is not `ok`.
public struct SetupCheck: Sendable {
    public enum Result: String, Sendable {
        case ok
        /// Slow or fragile, but the command would run.
        case warn
        /// The command would fail, with `status`.
        case fail = "FAIL"
    }

    public let check: String
    public let result: Result
    public let detail: String
    public let fix: String?
    /// The exit status the command itself would have; only on `fail`.
    public let status: ExitStatus?

    static func ok(_ check: String, _ detail: String) -> SetupCheck {
        SetupCheck(check: check, result: .ok, detail: detail, fix: nil, status: nil)
    }

    static func warn(_ check: String, _ detail: String, fix: String) -> SetupCheck {
        SetupCheck(check: check, result: .warn, detail: detail, fix: fix, status: nil)
    }

    /// The command would stop with `error`; its message says what to do.
    static func fail(_ check: String, _ error: EngineError, fix: String? = nil) -> SetupCheck {
        SetupCheck(check: check, result: .fail, detail: error.message, fix: fix, status: error.status)
    }

    /// `ok    check  detail`, then `      fix: …` on the next line.
    public var line: String {
        let head = result.rawValue.padding(toLength: 5, withPad: " ", startingAt: 0) + " " + check + ": " + detail
        guard let fix else { return head }
        return head + "\n      fix: " + fix
    }

    public var json: String {
        JSONValue.object([("check", .string(check)), ("result", .string(result.rawValue)), ("detail", .string(detail)),
                          ("fix", fix.map(JSONValue.string) ?? .null)]).serialized()
    }
}

extension Array where Element == SetupCheck {
    /// The status of the first `FAIL`, else clean: what the command would exit with.
    public var exitStatus: ExitStatus {
        first { $0.result == .fail }?.status ?? .clean
    }
}

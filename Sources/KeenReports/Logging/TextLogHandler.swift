import Logging

/// swift-log handler for people: the message as one line. On a terminal,
/// `debug` events (a report's progress) rewrite one status line in place;
/// elsewhere (cron, systemd) they are left out.
public struct TextLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let output: LogOutput
    private let interactive: Bool
    /// Put before every line (`keen-reports: ` for the messages of a command
    /// that is not the nightly run).
    private let prefix: String

    public init(output: LogOutput = LogOutput(), interactive: Bool, prefix: String = "") {
        self.output = output
        self.interactive = interactive
        self.prefix = prefix
        logLevel = interactive ? .debug : .info
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        // "\r ESC[K" clears a progress line still on the screen.
        let clear = interactive ? "\r\u{1B}[K" : ""
        if event.level <= .debug {
            output.emit(clear + prefix + event.message.description)
        } else {
            output.emit(clear + prefix + event.message.description + "\n")
        }
    }
}

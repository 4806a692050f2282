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

    public init(output: LogOutput = LogOutput(), interactive: Bool) {
        self.output = output
        self.interactive = interactive
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
            output.emit(clear + event.message.description)
        } else {
            output.emit(clear + event.message.description + "\n")
        }
    }
}

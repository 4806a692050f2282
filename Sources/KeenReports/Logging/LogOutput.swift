import Foundation
import Synchronization

/// Where the engine's log handlers write: whole lines, one writer at a time,
/// on stderr by default (stdout stays for data).
public final class LogOutput: Sendable {
    private let oneWriter = Mutex(())
    private let write: @Sendable (String) -> Void

    public init(write: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }) {
        self.write = write
    }

    func emit(_ text: String) {
        oneWriter.withLock { _ in write(text) }
    }
}

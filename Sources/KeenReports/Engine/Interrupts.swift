import CLibPQ
import Foundation

/// What SIGINT and SIGTERM do to a run: cancel every statement in progress
/// on the server, remove every temporary file and staging folder, and exit
/// with 128 + the signal (130, 143), as shells expect.
public final class Interrupts: @unchecked Sendable {
    public static let shared = Interrupts()

    private let lock = NSLock()
    /// libpq cancel handles of the open connections. PQcancel is safe to
    /// call from any thread while the connection's own thread is blocked.
    private var cancels: [ObjectIdentifier: OpaquePointer] = [:]
    private var sources: [DispatchSourceSignal] = []
    private var handling = false

    /// Takes over SIGINT and SIGTERM for the rest of the process.
    public func install() {
        lock.withLock {
            guard sources.isEmpty else { return }
            for signalNumber in [SIGINT, SIGTERM] {
                signal(signalNumber, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
                source.setEventHandler { [unowned self] in self.interrupted(by: signalNumber) }
                source.resume()
                sources.append(source)
            }
        }
    }

    func register(_ connection: ObjectIdentifier, cancel: OpaquePointer) {
        lock.withLock { cancels[connection] = cancel }
    }

    func unregister(_ connection: ObjectIdentifier) -> OpaquePointer? {
        lock.withLock { cancels.removeValue(forKey: connection) }
    }

    /// Called where a failure would end the process: while a signal is
    /// being handled, the failure is the cancel it caused, and the handler
    /// exits with the signal's status, so this thread waits for it.
    public func waitIfInterrupted() {
        guard lock.withLock({ handling }) else { return }
        while true { pause() }
    }

    private func interrupted(by signalNumber: Int32) {
        let pending = lock.withLock {
            handling = true
            return Array(cancels.values)
        }
        var errorBuffer = [CChar](repeating: 0, count: 256)
        for cancel in pending { _ = PQcancel(cancel, &errorBuffer, Int32(errorBuffer.count)) }
        TemporaryFiles.shared.removeAll()
        let name = signalNumber == SIGINT ? "SIGINT" : "SIGTERM"
        FileHandle.standardError.write(Data("keen-reports: interrupted by \(name); cancelled the running queries and removed unfinished files\n".utf8))
        exit(128 + signalNumber)
    }
}

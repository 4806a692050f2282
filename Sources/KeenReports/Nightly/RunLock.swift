import Foundation

/// The lock that keeps two nightly runs off the same output folder: an
/// exclusive `flock` on `<output-dir>/.keen-reports-nightly.lock`. The kernel
/// drops it when the process ends, however it ends, so a crashed run never
/// leaves a lock that blocks the next one.
final class RunLock {
    private let descriptor: Int32

    init(directory: String) throws(EngineError) {
        let path = directory + "/.keen-reports-nightly.lock"
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o640)
        guard descriptor >= 0 else { throw .output("cannot open the lock file \(path): \(String(cString: strerror(errno)))") }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw EngineError(.locked, "another nightly run holds the lock on \(directory) (\(path)); wait for it to finish")
        }
        // Who holds it, for a person looking at the folder.
        let owner = Array("pid \(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = owner.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}

import Foundation
import Synchronization

/// A file that appears whole or not at all: written under a temporary name
/// in the destination folder, then renamed over the final name on `commit`.
/// Created mode 0640 whatever the umask, since reports hold money and
/// customer data. Writes are buffered; a failure to write (a full disk, a
/// folder that is not writable) throws exit status 73 naming the file.
public final class AtomicFile {
    public let path: String
    let temporaryPath: String
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private static let bufferLimit = 1 << 18
    public private(set) var bytesWritten: Int64 = 0
    private var done = false

    public static let mode: mode_t = 0o640

    /// `mode` is for files that hold no customer data (metrics); reports
    /// keep the default.
    public init(path: String, mode: mode_t = AtomicFile.mode) throws(EngineError) {
        self.path = path
        let url = URL(fileURLWithPath: path)
        temporaryPath = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp").path
        descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else {
            throw .output("cannot create \(path): \(String(cString: strerror(errno))); check that the output folder exists and is writable")
        }
        // open() applies the umask; fchmod does not.
        fchmod(descriptor, mode)
        TemporaryFiles.shared.register(temporaryPath)
        buffer.reserveCapacity(AtomicFile.bufferLimit)
    }

    deinit {
        discard()
    }

    public func write(_ bytes: [UInt8]) throws(EngineError) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= AtomicFile.bufferLimit { try flush() }
    }

    public func write(_ text: String) throws(EngineError) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= AtomicFile.bufferLimit { try flush() }
    }

    /// Appends what `other` has written so far (after its first `skipping`
    /// bytes), read back from its temporary file.
    func append(contentsOf other: AtomicFile, skipping: Int64 = 0) throws(EngineError) {
        try other.flush()
        try flush()
        let source = open(other.temporaryPath, O_RDONLY | O_CLOEXEC)
        guard source >= 0 else { throw .output("cannot read back \(other.temporaryPath): \(String(cString: strerror(errno)))") }
        defer { close(source) }
        var offset = skipping
        var chunk = [UInt8](repeating: 0, count: AtomicFile.bufferLimit)
        while true {
            let count = chunk.withUnsafeMutableBytes { pread(source, $0.baseAddress, $0.count, off_t(offset)) }
            guard count >= 0 else { throw .output("cannot read back \(other.temporaryPath): \(String(cString: strerror(errno)))") }
            if count == 0 { break }
            buffer.append(contentsOf: chunk[0..<count])
            offset += Int64(count)
            if buffer.count >= AtomicFile.bufferLimit { try flush() }
        }
    }

    /// Overwrites bytes already written at `offset` (for a count that is
    /// only known at the end).
    public func overwrite(_ text: String, at offset: Int64) throws(EngineError) {
        try flush()
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, off_t(offset)) }
        guard written == bytes.count else { throw writeError() }
    }

    public func flush() throws(EngineError) {
        var offset = 0
        while offset < buffer.count {
            let written = buffer.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { throw writeError() }
            offset += written
        }
        bytesWritten += Int64(buffer.count)
        buffer.removeAll(keepingCapacity: true)
    }

    /// For a library that writes the file itself by name (libxlsxwriter):
    /// closes this handle on the empty temporary file, already mode 0640, and
    /// returns its path. The library's file replaces it there; `commit`
    /// still renames it into place and `discard` removes it.
    func handOver() -> String {
        close(descriptor)
        descriptor = -1
        return temporaryPath
    }

    /// Flushes, syncs and renames the file into place.
    public func commit() throws(EngineError) {
        if descriptor < 0 {
            // Written by another writer (`handOver`): sync what it wrote.
            descriptor = open(temporaryPath, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw writeError() }
        }
        try flush()
        guard fsync(descriptor) == 0 else { throw writeError() }
        close(descriptor)
        descriptor = -1
        guard rename(temporaryPath, path) == 0 else { throw writeError() }
        TemporaryFiles.shared.unregister(temporaryPath)
        done = true
    }

    /// Removes the temporary file; the final name is left as it was.
    public func discard() {
        guard !done else { return }
        done = true
        if descriptor >= 0 { close(descriptor) }
        descriptor = -1
        unlink(temporaryPath)
        TemporaryFiles.shared.unregister(temporaryPath)
    }

    private func writeError() -> EngineError {
        let reason = String(cString: strerror(errno))
        discard()
        return .output("cannot write \(path): \(reason)")
    }
}

/// The temporary files and staging folders not yet committed or discarded,
/// so that an interrupt can remove them before the process exits.
public final class TemporaryFiles: Sendable {
    public static let shared = TemporaryFiles()
    private let registered = Mutex((paths: Set<String>(), folders: Set<String>()))

    func register(_ path: String) { registered.withLock { _ = $0.paths.insert(path) } }
    func unregister(_ path: String) { registered.withLock { _ = $0.paths.remove(path) } }
    func registerFolder(_ path: String) { registered.withLock { _ = $0.folders.insert(path) } }
    func unregisterFolder(_ path: String) { registered.withLock { _ = $0.folders.remove(path) } }

    /// Removes every registered file and folder.
    public func removeAll() {
        registered.withLock { registered in
            for path in registered.paths { unlink(path) }
            // A folder already gone (or never made) is what removal wants.
            for folder in registered.folders { try? FileManager.default.removeItem(atPath: folder) }
            registered.paths.removeAll()
            registered.folders.removeAll()
        }
    }
}

import Foundation

/// Temporary files of (id, tools) entries, 24 bytes each (the id's 16, then
/// the bit mask of its tools' indexes), written through a small buffer per file and read back
/// one file at a time. The files are unlinked as soon as they are made:
/// nothing is left behind, whatever ends the process. Once written, two
/// threads may read different files at once: a file's descriptor, buffer
/// and counts are its own.
final class SpillFiles {
    private static let entrySize = 24
    /// Whole entries a file's write buffer holds (8 KiB): the tool-heavy
    /// month's 250 files take 2 MiB.
    private static let bufferSize = (1 << 13) / entrySize * entrySize

    private var descriptors: [Int32] = []
    /// The files' write buffers, `bufferSize` bytes each, one after the
    /// other, and the bytes each holds; raw memory, because `add` runs once
    /// per row, and arrays of arrays cost it uniqueness checks and reference
    /// counting (a sixth of cost_per_tool's client time, perf).
    private let buffers: UnsafeMutableRawPointer
    private let filled: UnsafeMutablePointer<Int>
    private let written: UnsafeMutablePointer<Int>
    private let purpose: String

    /// `count` empty files; `purpose` names them in errors ("cost_per_tool's").
    init(count: Int, purpose: String) throws(EngineError) {
        self.purpose = purpose
        buffers = .allocate(byteCount: max(1, count) * Self.bufferSize, alignment: 16)
        filled = .allocate(capacity: max(1, count))
        filled.initialize(repeating: 0, count: max(1, count))
        written = .allocate(capacity: max(1, count))
        written.initialize(repeating: 0, count: max(1, count))
        for _ in 0..<count {
            var template = Array((FileManager.default.temporaryDirectory.path + "/keen-reports-ids.XXXXXX").utf8CString)
            let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
            guard descriptor >= 0 else { throw .output("cannot make a temporary file for \(purpose) ids: \(String(cString: strerror(errno)))") }
            template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
            descriptors.append(descriptor)
        }
    }

    deinit {
        descriptors.forEach { close($0) }
        buffers.deallocate()
        filled.deallocate()
        written.deallocate()
    }

    var count: Int { descriptors.count }

    /// Entries written to `file`, repeats included.
    func entries(of file: Int) -> Int { written[file] }

    @inline(__always)
    func add(_ id: UInt128, tools: UInt64, to file: Int) throws(EngineError) {
        let entry = buffers + file * Self.bufferSize + filled[file]
        entry.storeBytes(of: id, as: UInt128.self)
        (entry + 16).storeBytes(of: tools, as: UInt64.self)
        filled[file] += Self.entrySize
        written[file] += 1
        if filled[file] == Self.bufferSize { try flush(file) }
    }

    /// Every entry of `file`, in the order written.
    func readEntries(of file: Int, _ body: (UInt128, UInt64) throws(EngineError) -> Void) throws(EngineError) {
        try flush(file)
        guard lseek(descriptors[file], 0, SEEK_SET) == 0 else { throw readError() }
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.bufferSize, alignment: 16)
        defer { chunk.deallocate() }
        while true {
            let count = read(descriptors[file], chunk.baseAddress, chunk.count)
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { throw readError() }
            if count == 0 { break }
            // Chunks hold whole entries: the file is read from the start in
            // multiples of the entry size, and it is whole entries.
            for start in stride(from: 0, to: count, by: Self.entrySize) {
                try body(chunk.loadUnaligned(fromByteOffset: start, as: UInt128.self),
                         chunk.loadUnaligned(fromByteOffset: start + 16, as: UInt64.self))
            }
        }
    }

    private func flush(_ file: Int) throws(EngineError) {
        var offset = 0
        let buffer = buffers + file * Self.bufferSize
        while offset < filled[file] {
            let count = write(descriptors[file], buffer + offset, filled[file] - offset)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                throw .output("cannot write \(purpose) temporary file of ids: \(String(cString: strerror(errno)))")
            }
            offset += count
        }
        filled[file] = 0
    }

    private func readError() -> EngineError {
        .output("cannot read \(purpose) temporary file of ids: \(String(cString: strerror(errno)))")
    }
}

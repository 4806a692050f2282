import Foundation

/// Temporary files of (id, tools) entries, 24 bytes each (the id's 16, then
/// the bit mask of its tools' indexes), written through a small buffer per file and read back
/// one file at a time. The files are unlinked as soon as they are made:
/// nothing is left behind, whatever ends the process.
final class SpillFiles {
    private static let entrySize = 24
    /// Whole entries a file's write buffer holds (16 KiB): 84 files take 1.3 MiB.
    private static let bufferSize = (1 << 14) / entrySize * entrySize

    private var descriptors: [Int32] = []
    private var buffers: [[UInt8]] = []
    /// Entries written to each file, repeats included.
    private(set) var entries: [Int] = []
    private let purpose: String

    /// `count` empty files; `purpose` names them in errors ("cost_per_tool's").
    init(count: Int, purpose: String) throws(EngineError) {
        self.purpose = purpose
        for _ in 0..<count {
            var template = Array((FileManager.default.temporaryDirectory.path + "/keen-reports-ids.XXXXXX").utf8CString)
            let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
            guard descriptor >= 0 else { throw .output("cannot make a temporary file for \(purpose) ids: \(String(cString: strerror(errno)))") }
            template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
            descriptors.append(descriptor)
            var buffer: [UInt8] = []
            buffer.reserveCapacity(Self.bufferSize)
            buffers.append(buffer)
            entries.append(0)
        }
    }

    deinit {
        descriptors.forEach { close($0) }
    }

    var count: Int { descriptors.count }

    func add(_ id: UInt128, tools: UInt64, to file: Int) throws(EngineError) {
        withUnsafeBytes(of: id) { buffers[file].append(contentsOf: $0) }
        withUnsafeBytes(of: tools) { buffers[file].append(contentsOf: $0) }
        entries[file] += 1
        if buffers[file].count >= Self.bufferSize { try flush(file) }
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
        let buffer = buffers[file]
        while offset < buffer.count {
            let written = buffer.withUnsafeBytes { write(descriptors[file], $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else {
                throw .output("cannot write \(purpose) temporary file of ids: \(String(cString: strerror(errno)))")
            }
            offset += written
        }
        buffers[file].removeAll(keepingCapacity: true)
    }

    private func readError() -> EngineError {
        .output("cannot read \(purpose) temporary file of ids: \(String(cString: strerror(errno)))")
    }
}

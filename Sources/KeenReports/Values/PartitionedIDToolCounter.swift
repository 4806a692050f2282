import Foundation

/// Distinct ids per tool (cost_per_tool's `sessions`) in memory that does
/// not grow with the data. The ids of a window are spread by hash over enough
/// temporary files that each holds at most `perPartition` entries; each file
/// is then counted on its own with an `IDToolMap` sized for it, and the counts
/// added up. An id always lands in the same file, so the sum is exact.
///
/// Few enough entries (one partition) are counted in memory directly. The
/// files are unlinked as soon as they are made: nothing is left behind,
/// whatever ends the process.
final class PartitionedIDToolCounter {
    /// 17 bytes an entry: the id's 16, then the tool's index.
    private static let entrySize = 17
    /// Whole entries a partition's write buffer holds (16 KiB): a month of
    /// ten million executions has 84 partitions, so the buffers take 1.3 MiB.
    private static let bufferSize = (1 << 14) / entrySize * entrySize

    private var direct: IDToolMap?
    private var descriptors: [Int32] = []
    private var buffers: [[UInt8]] = []
    private var entries: [Int] = []

    /// Entries a partition holds at most: its `IDToolMap` then takes about
    /// 6 MiB (262,144 slots of 24 bytes). Tests lower it (KEEN_REPORTS_TEST_IDS_PER_PARTITION) to see
    /// many partitions without millions of rows.
    static let defaultPerPartition: Int = {
        if let text = ProcessInfo.processInfo.environment["KEEN_REPORTS_TEST_IDS_PER_PARTITION"], let value = Int(text), value > 0 {
            return value
        }
        return 120_000
    }()

    /// `expected` entries at most (the window's executions).
    init(expected: Int64, perPartition: Int = PartitionedIDToolCounter.defaultPerPartition) throws(EngineError) {
        let partitions = max(1, Int((expected + Int64(perPartition) - 1) / Int64(perPartition)))
        guard partitions > 1 else {
            direct = IDToolMap(capacity: Int(expected))
            return
        }
        for _ in 0..<partitions {
            var template = Array((FileManager.default.temporaryDirectory.path + "/keen-reports-ids.XXXXXX").utf8CString)
            let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
            guard descriptor >= 0 else { throw .output("cannot make a temporary file for cost_per_tool: \(String(cString: strerror(errno)))") }
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

    func add(_ id: UInt128, tool: Int) throws(EngineError) {
        if direct != nil {
            direct!.add(id, tool: tool)
            return
        }
        let partition = Int(truncatingIfNeeded: (UInt64(truncatingIfNeeded: id >> 64) &* 0x9E37_79B9_7F4A_7C15) >> 40) % descriptors.count
        withUnsafeBytes(of: id) { buffers[partition].append(contentsOf: $0) }
        buffers[partition].append(UInt8(tool))
        entries[partition] += 1
        if buffers[partition].count >= Self.bufferSize { try flush(partition) }
    }

    /// How many ids used each tool, indexed by tool.
    func countsPerTool() throws(EngineError) -> [Int64] {
        if let direct { return direct.countsPerTool() }
        var counts = [Int64](repeating: 0, count: IDToolMap.maxTools)
        for partition in descriptors.indices {
            try flush(partition)
            var map = IDToolMap(capacity: entries[partition])
            guard lseek(descriptors[partition], 0, SEEK_SET) == 0 else { throw readError() }
            var chunk = [UInt8](repeating: 0, count: Self.bufferSize)
            while true {
                let count = chunk.withUnsafeMutableBytes { read(descriptors[partition], $0.baseAddress, $0.count) }
                guard count >= 0 else { throw readError() }
                if count == 0 { break }
                // Chunks hold whole entries: the file is read from the start
                // in multiples of the entry size, and it is whole entries.
                chunk.withUnsafeBytes { bytes in
                    for start in stride(from: 0, to: count, by: Self.entrySize) {
                        map.add(bytes.loadUnaligned(fromByteOffset: start, as: UInt128.self), tool: Int(bytes[start + 16]))
                    }
                }
            }
            for (tool, ids) in map.countsPerTool().enumerated() { counts[tool] += ids }
        }
        return counts
    }

    private func flush(_ partition: Int) throws(EngineError) {
        var offset = 0
        let buffer = buffers[partition]
        while offset < buffer.count {
            let written = buffer.withUnsafeBytes { write(descriptors[partition], $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else {
                throw .output("cannot write cost_per_tool's temporary file: \(String(cString: strerror(errno)))")
            }
            offset += written
        }
        buffers[partition].removeAll(keepingCapacity: true)
    }

    private func readError() -> EngineError {
        .output("cannot read cost_per_tool's temporary file: \(String(cString: strerror(errno)))")
    }
}

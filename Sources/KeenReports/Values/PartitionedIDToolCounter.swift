import Foundation

/// Distinct ids per tool (cost_per_tool's and websocket_connections'
/// `sessions`) in memory that does not grow with the data. Ids are counted in
/// one `IDToolMap` until they pass `perPartition`; beyond that they are
/// spread by hash over temporary files (`SpillFiles`), each counted on its
/// own with a map sized for it, and the counts added up. An id always lands
/// in the same file, so the sum is exact.
///
/// In front of the files, the ids seen last (`RecentIDTools`) gather their
/// tools, so an id's repeats close together are written once. Where repeats
/// are far apart (the table catches under a quarter of the first 65,536
/// entries), the table is drained and the entries go straight to the files.
///
/// With the number of entries known (`expected`), the files are made up
/// front, as many as keep each under `perPartition`. Without it, the map
/// spills into 16 files when it outgrows memory, and a file that still holds
/// too many entries is split again by another hash when it is counted.
final class PartitionedIDToolCounter {
    /// Files made when the map outgrows memory with no count known up front.
    private static let spillCount = 16
    /// Splits of one file at most; past them a file is counted as it is
    /// (only an id repeated far more than `perPartition` times gets there).
    private static let deepestSplit = 4

    private let perPartition: Int
    private let purpose: String
    private var direct: IDToolMap?
    private var files: SpillFiles?
    private var recent: RecentIDTools? = RecentIDTools()
    /// Entries the recent table takes before it is judged.
    private static let recentTrial = 1 << 16

    /// Entries a file holds at most: its `IDToolMap` then takes about
    /// 1.5 MiB (65,536 slots of 24 bytes), so the two threads that count the
    /// files take half of what one map of three times the entries took, and
    /// each map fits a core's cache. Tests pass a smaller one
    /// (`ReportRunner.idsPerPartition`) to see many files without millions
    /// of rows.
    public static let defaultPerPartition = 40_000
    /// Files made up front at most (open descriptors, write buffers): past
    /// 256 × 40,000 entries, a file that holds too many is split when it is counted.
    private static let mostFiles = 256

    /// `expected` entries, when known (cost_per_tool's executions); 0 when not.
    init(expected: Int64 = 0, perPartition: Int = PartitionedIDToolCounter.defaultPerPartition,
         purpose: String) throws(EngineError) {
        self.perPartition = perPartition
        self.purpose = purpose
        let partitions = min(Self.mostFiles, Int((expected + Int64(perPartition) - 1) / Int64(perPartition)))
        if partitions > 1 {
            files = try SpillFiles(count: partitions, purpose: purpose)
        } else {
            direct = IDToolMap(capacity: Int(expected))
        }
    }

    func add(_ id: UInt128, tool: Int) throws(EngineError) {
        if direct != nil {
            direct!.add(id, tool: tool)
            if direct!.count > perPartition { try spill() }
            return
        }
        guard recent != nil else {
            return try write(id, tools: 1 << UInt64(tool))
        }
        try recent!.add(id, tool: tool) { (evicted, tools) throws(EngineError) in try write(evicted, tools: tools) }
        if recent!.added == Self.recentTrial && recent!.repeats * 4 < recent!.added { try drainRecent() }
    }

    /// How many ids used each tool, indexed by tool. Called once, after the
    /// last `add`. The files are counted on two threads, every other file
    /// each: the stream is over, so its cores are free (on the tool-heavy
    /// month this took a sixteenth of the run, on one core).
    func countsPerTool() throws(EngineError) -> [Int64] {
        if let direct { return direct.countsPerTool() }
        try drainRecent()
        let files = files!
        let other = OtherFilesCount(counter: self, files: files)
        let these = Parallel.run(1, { _ in other.run() }) { counts(ofEvery: 2, from: 0, of: files) }
        let (mine, theirs) = (try these.get(), try other.result.get())
        return zip(mine, theirs).map { $0 + $1 }
    }

    /// The files `first`, `first + step`, … of `files`, counted.
    fileprivate func counts(ofEvery step: Int, from first: Int, of files: SpillFiles) -> Result<[Int64], EngineError> {
        Result { () throws(EngineError) in
            var counts = [Int64](repeating: 0, count: IDToolMap.maxTools)
            for file in stride(from: first, to: files.count, by: step) { try count(file, of: files, depth: 0, into: &counts) }
            return counts
        }
    }

    /// Writes what the recent table holds to the files, and stops using it.
    private func drainRecent() throws(EngineError) {
        try recent?.drain { (id, tools) throws(EngineError) in try write(id, tools: tools) }
        recent = nil
    }

    private func write(_ id: UInt128, tools: UInt64) throws(EngineError) {
        try files!.add(id, tools: tools, to: Self.file(of: id, depth: 0, among: files!.count))
    }

    private func spill() throws(EngineError) {
        let spilled = try SpillFiles(count: Self.spillCount, purpose: purpose)
        try direct!.forEach { (id, tools) throws(EngineError) in
            try spilled.add(id, tools: tools, to: Self.file(of: id, depth: 0, among: spilled.count))
        }
        direct = nil
        files = spilled
    }

    private func count(_ file: Int, of files: SpillFiles, depth: Int, into counts: inout [Int64]) throws(EngineError) {
        let entries = files.entries(of: file)
        if entries > perPartition && depth < Self.deepestSplit {
            let parts = try SpillFiles(count: (entries + perPartition - 1) / perPartition, purpose: purpose)
            try files.readEntries(of: file) { (id, tools) throws(EngineError) in
                try parts.add(id, tools: tools, to: Self.file(of: id, depth: depth + 1, among: parts.count))
            }
            for part in 0..<parts.count { try count(part, of: parts, depth: depth + 1, into: &counts) }
            return
        }
        var map = IDToolMap(capacity: min(entries, perPartition))
        try files.readEntries(of: file) { id, tools in map.add(id, tools: tools) }
        for (tool, ids) in map.countsPerTool().enumerated() { counts[tool] += ids }
    }

    /// The file of `id` among `count`, by a hash that differs at each depth
    /// of splitting, so the ids of one file spread over its parts.
    @inline(__always)
    private static func file(of id: UInt128, depth: Int, among count: Int) -> Int {
        var bits = UInt64(truncatingIfNeeded: id >> 64)
        if depth > 0 {
            // splitmix64 of both halves and the depth.
            bits ^= UInt64(truncatingIfNeeded: id) &+ UInt64(depth) &* 0x9E37_79B9_7F4A_7C15
            bits = (bits ^ (bits >> 30)) &* 0xBF58_476D_1CE4_E5B9
            bits = (bits ^ (bits >> 27)) &* 0x94D0_49BB_1331_11EB
            bits ^= bits >> 31
        }
        // The high word of the mixed bits times count: a file in 0..<count
        // without a division (this runs once per execution).
        return Int(truncatingIfNeeded: (bits &* 0x9E37_79B9_7F4A_7C15).multipliedFullWidth(by: UInt64(count)).high)
    }
}

/// The second thread's share of `countsPerTool`: the odd files. Unchecked:
/// the two threads read different files and write nothing they share, and
/// `result` is read only after `Parallel.run` has joined this thread.
private final class OtherFilesCount: @unchecked Sendable {
    let counter: PartitionedIDToolCounter
    let files: SpillFiles
    var result: Result<[Int64], EngineError> = .success([])

    init(counter: PartitionedIDToolCounter, files: SpillFiles) {
        self.counter = counter
        self.files = files
    }

    func run() { result = counter.counts(ofEvery: 2, from: 1, of: files) }
}

import Testing
@testable import KeenReports

/// Distinct ids per tool, exactly, however the entries spread over files:
/// in memory, in files made up front, spilled when no count was known, and
/// with files split again when they hold too many.
@Suite struct PartitionedIDToolCounterTests {
    /// Random ids with repeats over 5 tools, and the distinct count per tool by Set.
    private static func entries(_ count: Int, distinct: Int) -> (entries: [(UInt128, Int)], expected: [Int64]) {
        var generator = SystemRandomNumberGenerator()
        let ids = (0..<distinct).map { _ in UInt128(generator.next() as UInt64) << 64 | UInt128(generator.next() as UInt64) }
        let entries = (0..<count).map { _ in (ids.randomElement(using: &generator)!, Int.random(in: 0..<5, using: &generator)) }
        var sets = [Set<UInt128>](repeating: [], count: IDToolMap.maxTools)
        for (id, tool) in entries { sets[tool].insert(id) }
        return (entries, sets.map { Int64($0.count) })
    }

    @Test(arguments: [
        (expected: 0, perPartition: 100_000),  // in memory
        (expected: 20_000, perPartition: 1_000),  // 20 files made up front
        (expected: 0, perPartition: 1_000),  // spilled into 16 files, each split again
        (expected: 0, perPartition: 5_000),  // spilled, no file over the limit
        (expected: 3_000, perPartition: 1_000),  // the expected count was too low: files split again
        (expected: 2_000_000, perPartition: 50),  // 256 files at most up front, each split again
    ])
    func countsEachToolsDistinctIDs(expected: Int, perPartition: Int) throws {
        let (entries, reference) = Self.entries(20_000, distinct: 6_000)
        let counter = try PartitionedIDToolCounter(expected: Int64(expected), perPartition: perPartition, purpose: "the test's")
        for (id, tool) in entries { try counter.add(id, tool: tool) }
        #expect(try counter.countsPerTool() == reference)
    }

    /// Far more ids than the table of recent ids holds, each seen in a short
    /// run of executions and again later: evicted ids come back and are
    /// written twice, and still counted once.
    @Test func idsEvictedFromTheRecentTableAndSeenAgainAreCountedOnce() throws {
        let (entries, _) = Self.entries(120_000, distinct: 40_000)
        let runs = entries.flatMap { entry in [entry, (entry.0, (entry.1 + 1) % 5), entry] }
        var sets = [Set<UInt128>](repeating: [], count: IDToolMap.maxTools)
        for (id, tool) in runs { sets[tool].insert(id) }
        let counter = try PartitionedIDToolCounter(expected: Int64(runs.count), perPartition: 30_000, purpose: "the test's")
        for (id, tool) in runs { try counter.add(id, tool: tool) }
        #expect(try counter.countsPerTool() == sets.map { Int64($0.count) })
    }

    /// Every id's repeats a whole pass apart: the recent table catches almost
    /// none in its trial, is drained, and the rest goes straight to the files.
    @Test func repeatsFarApartAreCountedWithoutTheRecentTable() throws {
        let (entries, reference) = Self.entries(100_000, distinct: 100_000)
        let counter = try PartitionedIDToolCounter(expected: 200_000, perPartition: 50_000, purpose: "the test's")
        for (id, tool) in entries + entries { try counter.add(id, tool: tool) }
        #expect(try counter.countsPerTool() == reference)
    }

    @Test func theRecentTableHandsOnEveryIDsToolsOnce() {
        var table = RecentIDTools(slots: 4)
        var handed: [UInt128: UInt64] = [:]
        for (id, tool) in [(1, 0), (1, 2), (2, 1), (3, 1), (1, 3), (5, 4), (9, 0), (2, 1)] as [(UInt128, Int)] {
            table.add(id, tool: tool) { id, tools in handed[id, default: 0] |= tools }
        }
        table.drain { id, tools in handed[id, default: 0] |= tools }
        #expect(handed == [1: 0b1101, 2: 0b10, 3: 0b10, 5: 0b10000, 9: 0b1])
        var drainedAgain = 0
        table.drain { _, _ in drainedAgain += 1 }
        #expect(drainedAgain == 0)
    }

    @Test func oneIDRepeatedPastEverySplitIsCountedOnce() throws {
        let counter = try PartitionedIDToolCounter(perPartition: 10, purpose: "the test's")
        for index in 0..<5_000 { try counter.add(index % 2 == 0 ? 42 : UInt128(index), tool: 3) }
        #expect(try counter.countsPerTool()[3] == 2_501)
    }
}

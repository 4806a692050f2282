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
    ])
    func countsEachToolsDistinctIDs(expected: Int, perPartition: Int) throws {
        let (entries, reference) = Self.entries(20_000, distinct: 6_000)
        let counter = try PartitionedIDToolCounter(expected: Int64(expected), perPartition: perPartition, purpose: "the test's")
        for (id, tool) in entries { try counter.add(id, tool: tool) }
        #expect(try counter.countsPerTool() == reference)
    }

    @Test func oneIDRepeatedPastEverySplitIsCountedOnce() throws {
        let counter = try PartitionedIDToolCounter(perPartition: 10, purpose: "the test's")
        for index in 0..<5_000 { try counter.add(index % 2 == 0 ? 42 : UInt128(index), tool: 3) }
        #expect(try counter.countsPerTool()[3] == 2_501)
    }
}

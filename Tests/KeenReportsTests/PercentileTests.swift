import Testing
@testable import KeenReports

@Suite struct PercentileTests {
    private func counts(_ values: [Int64]) -> SortedValueCounts {
        var counts = ValueCounts()
        values.forEach { counts.add($0) }
        return counts.sorted()
    }

    @Test func interpolatesLikePercentileCont() {
        // PostgreSQL: percentile_cont(0.5) of 1,2,3,4 is 2.5; 0.95 of 1..10 is 9.55.
        #expect(counts([4, 1, 3, 2]).percentile(Fractions.p50)?.formatted(places: 3) == "2.500")
        #expect(counts(Array(1...10)).percentile(Fractions.p95)?.formatted(places: 3) == "9.550")
        #expect(counts(Array(1...10)).percentile(Fractions.p99)?.formatted(places: 3) == "9.910")
    }

    @Test func handlesEdgesAndRepeats() {
        #expect(counts([]).percentile(Fractions.p50) == nil)
        #expect(counts([42]).percentile(Fractions.p99)?.formatted(places: 3) == "42.000")
        // 0, 0, 0, 100: h = 0.95 * 3 = 2.85 -> 0 + 0.85 * 100 = 85.
        #expect(counts([0, 100, 0, 0]).percentile(Fractions.p95)?.formatted(places: 3) == "85.000")
        var weighted = ValueCounts()
        weighted.add(5, count: 3)
        weighted.add(7, count: 1)
        #expect(weighted.sorted().percentile(Fractions.p50)?.formatted(places: 3) == "5.000")
        #expect(weighted.total == 4)
    }

    @Test func staysExactWhereFloatingPointDrifts() throws {
        // h = 0.95 * 20 = 19 exactly; in float8 0.95 * 20 is 19.000000000000004.
        let values = counts(Array(0...20).map { Int64($0) * 1_000_000_007 })
        #expect(values.percentile(Fractions.p95) == ExactDecimal(19 * 1_000_000_007))
        #expect(counts([Int64.max - 1, Int64.max]).percentile(Fractions.p50)?.description
                == "9223372036854775806.50")
    }
}

@Suite struct DistinctCountTests {
    @Test func countsDistinctIDsPerToolThroughGrowth() {
        var map = IDToolMap()
        var reference: [Set<UInt128>] = Array(repeating: [], count: IDToolMap.maxTools)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<50_000 {
            // Few distinct high halves and repeats, to exercise collisions.
            let id = UInt128(UInt64.random(in: 0..<20_000, using: &generator)) << 64 | UInt128(UInt64.random(in: 0..<3, using: &generator))
            let tool = [0, 1, 7, 63].randomElement(using: &generator)!
            map.add(id, tool: tool)
            reference[tool].insert(id)
        }
        #expect(map.countsPerTool() == reference.map { Int64($0.count) })
        #expect(IDToolMap().countsPerTool().allSatisfy { $0 == 0 })
    }

    @Test func valueCountsSpanDenseAndSparseValues() {
        var counts = ValueCounts()
        for value: Int64 in [-5, 0, 65_535, 65_536, 2_147_483_647, 3, 3] { counts.add(value) }
        let sorted = counts.sorted()
        #expect(sorted.entries.map(\.value) == [-5, 0, 3, 65_535, 65_536, 2_147_483_647])
        #expect(sorted.entries.map(\.count) == [1, 1, 2, 1, 1, 1])
        #expect(sorted.total == 7)
    }
}

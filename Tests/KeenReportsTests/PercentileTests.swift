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

    /// cost_per_tool's total and maximum execution time come from the counts,
    /// as sum() and max() over the same values would.
    @Test func sumsAndFindsTheLargestValue() {
        // 300 repeats of 70,000 pass both the byte of dense counts and the dense range.
        let values: [Int64] = [3, -2, 70_000, 0, 3, 255] + Array(repeating: 70_000, count: 300) + Array(repeating: 9, count: 300)
        #expect(counts(values).sum == values.reduce(0, +))
        #expect(counts(values).largest == 70_000)
        #expect(counts([]).sum == 0)
        #expect(counts([]).largest == nil)
        #expect(counts([-5, -1]).largest == -1)
        #expect(counts([Int64.max, 1]).sum == nil)
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

/// The two readings give PostgreSQL's percentile_cont exactly, whatever the
/// order and spread of the values, as the one-reading distribution does.
@Suite struct TwoPassPercentileTests {
    @Test(arguments: [1, 2, 3, 10, 4097, 20_000])
    func agreesWithTheSortedDistribution(count: Int) {
        var generator = SystemRandomNumberGenerator()
        // Spread over many powers of two, with repeats and negatives.
        let values = (0..<count).map { _ in Int64.random(in: -5_000...200_000_000_000, using: &generator) / Int64.random(in: 1...50_000, using: &generator) }
        var reference = ValueCounts()
        var twoPass = TwoPassPercentiles(fractions: [Fractions.p50, Fractions.p95, Fractions.p99])
        for value in values { reference.add(value); twoPass.count(value) }
        twoPass.plan()
        for value in values.shuffled() { twoPass.collect(value) }
        let sorted = reference.sorted()
        for fraction in [Fractions.p50, Fractions.p95, Fractions.p99] {
            #expect(twoPass.percentile(fraction) == sorted.percentile(fraction), "\(count) values, \(fraction)")
        }
    }

    @Test func bucketsKeepTheOrderOfValues() {
        let values: [Int64] = [.min, -5000, -4096, -4095, -513, -512, -511, -1, 0, 1, 511, 512, 513, 1023, 1024, 4095, 4096, 1 << 40, .max]
        let buckets = values.map(TwoPassPercentiles.bucket)
        #expect(buckets == buckets.sorted())
        #expect(TwoPassPercentiles.bucket(511) == 511 && TwoPassPercentiles.bucket(0) == 0)
        #expect(TwoPassPercentiles.bucket(.max) < 28_160)
    }

    @Test func eachBucketsValuesAreExactlyTheValuesItHolds() {
        var generator = SystemRandomNumberGenerator()
        let edges: [Int64] = [.min, .min + 1, -1025, -1024, -513, -512, -511, -2, -1, 0, 1, 511, 512, 513, 1023, 1024, 4096, 1 << 40, .max - 1, .max]
        let random = (0..<2_000).map { _ in Int64.random(in: .min ... .max, using: &generator) >> Int64.random(in: 0...62, using: &generator) }
        for value in edges + random {
            let bucket = TwoPassPercentiles.bucket(value)
            let values = TwoPassPercentiles.values(inBucket: bucket)
            #expect(values.contains(value), "\(value)")
            #expect(TwoPassPercentiles.bucket(values.lowerBound) == bucket && TwoPassPercentiles.bucket(values.upperBound) == bucket, "\(value)")
            if values.lowerBound > .min { #expect(TwoPassPercentiles.bucket(values.lowerBound - 1) < bucket, "\(value)") }
            if values.upperBound < .max { #expect(TwoPassPercentiles.bucket(values.upperBound + 1) > bucket, "\(value)") }
        }
    }

    @Test func theSecondReadingNeedsOnlyTheNamedValues() {
        let values: [Int64] = (0..<10_000).map { $0 * 977 % 1_000_003 }
        var twoPass = TwoPassPercentiles(fractions: [Fractions.p50, Fractions.p95])
        for value in values { twoPass.count(value) }
        twoPass.plan()
        let needed = twoPass.neededValues
        for value in values where needed.contains(where: { $0.contains(value) }) { twoPass.collect(value) }
        var reference = ValueCounts()
        for value in values { reference.add(value) }
        #expect(needed.count <= 4)
        #expect(twoPass.percentile(Fractions.p50) == reference.sorted().percentile(Fractions.p50))
        #expect(twoPass.percentile(Fractions.p95) == reference.sorted().percentile(Fractions.p95))
    }

    @Test func noValuesHaveNoPercentile() {
        var none = TwoPassPercentiles(fractions: [Fractions.p50])
        none.plan()
        #expect(none.percentile(Fractions.p50) == nil)
    }
}

@Suite struct ValueCountsTests {
    @Test func countsPastOneByteGoOnExactly() {
        var counts = ValueCounts()
        counts.add(7, count: Int64(UInt32.max) - 1)
        counts.add(7, count: 5)
        counts.add(3)
        counts.add(70_000, count: 2)
        for _ in 0..<600 { counts.add(9) }  // wraps the byte twice, one at a time
        counts.add(11, count: 255)
        counts.add(11)  // a carry out of the byte
        let sorted = counts.sorted()
        #expect(sorted.entries.map(\.value) == [3, 7, 9, 11, 70_000])
        #expect(sorted.entries.map(\.count) == [1, Int64(UInt32.max) + 4, 600, 256, 2])
        #expect(sorted.total == Int64(UInt32.max) + 7 + 600 + 256)
    }
}

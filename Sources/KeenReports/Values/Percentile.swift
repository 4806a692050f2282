/// The distribution of an integer column, kept as value → count, so an exact
/// percentile over ten million rows needs memory for the distinct values
/// only (a few thousand milliseconds values), not for every row.
///
/// Values below `denseLimit` (milliseconds of most tool runs and phases) are
/// counted in an array indexed by the value, the rest in a dictionary: the
/// array costs no hashing on the hot path. The array grows to the largest
/// value seen, not to the limit, and holds each count's lowest 8 bits; the
/// dictionary holds the rest, in multiples of 256, added when a count wraps.
/// One byte a value keeps the arrays of a report over many tools in the
/// cache: with 32-bit counts, cost_per_tool spent a quarter of its time
/// waiting for them (perf, 14 tools of 30,000 values each).
public struct ValueCounts: Sendable {
    private static let denseLimit: Int64 = 1 << 16
    private var dense: [UInt8] = []
    private var sparse: [Int64: Int64] = [:]
    public private(set) var total: Int64 = 0

    public init() {}

    /// One more `value`: a stream's hot path, inlined, for a value whose
    /// count already has a place in the dense array.
    @inline(__always)
    public mutating func add(_ value: Int64) {
        if value >= 0 && value < Int64(dense.count) {
            let (sum, carried) = dense[Int(value)].addingReportingOverflow(1)
            dense[Int(value)] = sum
            total += 1
            if carried { sparse[value, default: 0] += 256 }
            return
        }
        add(value, count: 1)
    }

    public mutating func add(_ value: Int64, count: Int64) {
        total += count
        guard value >= 0 && value < Self.denseLimit else {
            sparse[value, default: 0] += count
            return
        }
        if value >= dense.count {
            // Doubling, capped at the limit: amortised, and never past it.
            let size = min(Int(Self.denseLimit), max(Int(value) + 1, dense.count * 2, 1024))
            dense.reserveCapacity(size)
            dense.append(contentsOf: repeatElement(0, count: size - dense.count))
        }
        let index = Int(value)
        guard count >= 0 else {
            sparse[value, default: 0] += count
            return
        }
        // The low byte here, the rest (and a carry out of the byte) there.
        let low = UInt8(truncatingIfNeeded: count)
        let (sum, carried) = dense[index].addingReportingOverflow(low)
        dense[index] = sum
        let rest = (count - Int64(low)) + (carried ? 256 : 0)
        if rest != 0 { sparse[value, default: 0] += rest }
    }

    /// The values in ascending order with their counts.
    public func sorted() -> SortedValueCounts {
        var entries = sparse.filter { $0.key < 0 }.sorted { $0.key < $1.key }.map { (value: $0.key, count: $0.value) }
        for (value, count) in dense.enumerated() {
            // A value whose count passed 255 has the rest in `sparse`.
            let total = Int64(count) + (sparse.isEmpty ? 0 : sparse[Int64(value)] ?? 0)
            if total > 0 { entries.append((value: Int64(value), count: total)) }
        }
        entries += sparse.filter { $0.key >= Int64(dense.count) }.sorted { $0.key < $1.key }.map { (value: $0.key, count: $0.value) }
        return SortedValueCounts(entries, total: total)
    }
}

/// `ValueCounts` in ascending order, ready for percentiles.
public struct SortedValueCounts: Sendable {
    public let entries: [(value: Int64, count: Int64)]
    public let total: Int64

    init(_ entries: [(value: Int64, count: Int64)], total: Int64) {
        self.entries = entries
        self.total = total
    }

    /// The sum of every value counted, exactly (nil when it passes Int64).
    public var sum: Int64? {
        let sum = entries.reduce(Int128(0)) { $0 + Int128($1.value) * Int128($1.count) }
        return Int64(exactly: sum)
    }

    /// The largest value counted; nil when empty.
    public var largest: Int64? { entries.last?.value }

    /// The value at 0-based `rank` in the sorted multiset.
    func value(atRank rank: Int64) -> Int64 {
        var seen: Int64 = 0
        for entry in entries {
            seen += entry.count
            if rank < seen { return entry.value }
        }
        preconditionFailure("rank \(rank) out of range 0..<\(total)")
    }

    /// PostgreSQL's `percentile_cont(fraction)`, computed exactly: for sorted
    /// values v[0..n-1], h = fraction * (n - 1), and the result is
    /// v[floor h] + (h - floor h) * (v[ceil h] - v[floor h]). nil when empty.
    /// The result carries the fraction's scale, so it is exact; round it to
    /// the places the report writes.
    public func percentile(_ fraction: ExactDecimal) -> ExactDecimal? {
        guard total > 0 else { return nil }
        precondition(fraction >= .zero && fraction <= ExactDecimal(1), "fraction \(fraction) outside [0, 1]")
        let one = Int128.powerOfTen(fraction.scale)
        let h = fraction.units * Int128(total - 1)  // h scaled by 10^scale
        let lowerRank = Int64(h / one)
        let remainder = h % one
        let lower = value(atRank: lowerRank)
        guard remainder != 0 else { return ExactDecimal(lower) }
        let upper = value(atRank: lowerRank + 1)
        return ExactDecimal(units: Int128(lower) * one + remainder * Int128(upper - lower), scale: fraction.scale)
    }
}

/// Exact `percentile_cont` of values read twice in any order, holding
/// neither every value nor a sort: the first reading counts the values per
/// bucket (each power of two cut into 256 buckets, below 512 one bucket per
/// value), which says in which bucket each needed rank lies and where in
/// it; the second keeps only the values of those buckets. Memory: the
/// bucket counts (a dense array of at most 28,160, as `ValueCounts` keeps
/// them) and the values sharing a needed bucket (1/256 of their power of
/// two).
struct TwoPassPercentiles {
    let fractions: [ExactDecimal]
    private var counts = ValueCounts()
    private(set) var total: Int64 = 0
    /// After `plan()`: needed bucket → the ranks before it; then its values.
    private var needed: [Int64: (before: Int64, values: [Int64])] = [:]

    /// Bits of a value kept below its leading one: 256 buckets per power of two.
    private static let mantissaBits: Int64 = 8
    private static let exactBelow: Int64 = 1 << (mantissaBits + 1)

    init(fractions: [ExactDecimal]) {
        self.fractions = fractions
    }

    /// The bucket of `value`, in the order of the values: values below 512
    /// are their own bucket, larger ones share it with the values that agree
    /// in their 9 leading bits. Non-negative values have buckets below 28,160.
    static func bucket(_ value: Int64) -> Int64 {
        guard value >= exactBelow || value < 0 else { return value }
        guard value >= 0 else { return -bucket(value == .min ? .max : -value) - 1 }
        let shift = Int64(63 - value.leadingZeroBitCount) - mantissaBits
        return shift << (mantissaBits + 1) | (value >> shift)
    }

    /// Every value `bucket` holds, the inverse of `bucket(_:)`: the second
    /// reading can then be asked for just these values.
    static func values(inBucket bucket: Int64) -> ClosedRange<Int64> {
        guard bucket >= 0 else {
            let magnitudes = values(inBucket: -bucket - 1)
            // Int64.min shares the bucket of Int64.max's negation.
            return (magnitudes.upperBound == .max ? .min : -magnitudes.upperBound)...(-magnitudes.lowerBound)
        }
        guard bucket >= exactBelow else { return bucket...bucket }
        let shift = bucket >> (mantissaBits + 1)
        let lowest = (bucket & (exactBelow - 1)) << shift
        return lowest...(lowest + ((1 << shift) - 1))
    }

    /// After `plan()`: the values the second reading must collect, as whole
    /// buckets in ascending order. Values outside them are ignored anyway.
    var neededValues: [ClosedRange<Int64>] {
        needed.keys.sorted().map(Self.values(inBucket:))
    }

    /// First reading: one value.
    mutating func count(_ value: Int64) {
        counts.add(Self.bucket(value))
        total += 1
    }

    /// The 0-based ranks `fraction` interpolates between.
    private func ranks(_ fraction: ExactDecimal) -> (lower: Int64, upper: Int64, remainder: Int128, one: Int128) {
        let one = Int128.powerOfTen(fraction.scale)
        let h = fraction.units * Int128(total - 1)
        let lower = Int64(h / one)
        return (lower, h % one == 0 ? lower : lower + 1, h % one, one)
    }

    /// Between the readings: which buckets the second one keeps.
    mutating func plan() {
        guard total > 0 else { return }
        let wanted = Set(fractions.flatMap { fraction -> [Int64] in let r = ranks(fraction); return [r.lower, r.upper] })
        var before: Int64 = 0
        for (bucket, count) in counts.sorted().entries {
            if wanted.contains(where: { $0 >= before && $0 < before + count }) { needed[bucket] = (before, []) }
            before += count
        }
        counts = ValueCounts()
    }

    /// Second reading: one value, kept when its bucket holds a needed rank.
    mutating func collect(_ value: Int64) {
        let bucket = Self.bucket(value)
        guard needed[bucket] != nil else { return }
        needed[bucket]!.values.append(value)
    }

    /// After the second reading; nil when there were no values.
    func percentile(_ fraction: ExactDecimal) -> ExactDecimal? {
        guard total > 0 else { return nil }
        func value(atRank rank: Int64) -> Int64 {
            let (_, entry) = needed.first { rank >= $0.value.before && rank < $0.value.before + Int64($0.value.values.count) }!
            return entry.values.sorted()[Int(rank - entry.before)]
        }
        let (lower, upper, remainder, one) = ranks(fraction)
        let low = value(atRank: lower)
        guard remainder != 0 else { return ExactDecimal(low) }
        return ExactDecimal(units: Int128(low) * one + remainder * Int128(value(atRank: upper) - low), scale: fraction.scale)
    }
}

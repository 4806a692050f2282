/// The distribution of an integer column, kept as value → count, so an exact
/// percentile over ten million rows needs memory for the distinct values
/// only (a few thousand milliseconds values), not for every row.
public struct ValueCounts: Sendable {
    private var counts: [Int64: Int64] = [:]
    public private(set) var total: Int64 = 0

    public init() {}

    public mutating func add(_ value: Int64, count: Int64 = 1) {
        counts[value, default: 0] += count
        total += count
    }

    /// The values in ascending order with their counts.
    public func sorted() -> SortedValueCounts {
        SortedValueCounts(counts.sorted { $0.key < $1.key }.map { (value: $0.key, count: $0.value) }, total: total)
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

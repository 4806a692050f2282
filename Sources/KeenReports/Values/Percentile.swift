/// The distribution of an integer column, kept as value → count, so an exact
/// percentile over ten million rows needs memory for the distinct values
/// only (a few thousand milliseconds values), not for every row.
///
/// Values below `denseLimit` (milliseconds of most tool runs and phases) are
/// counted in an array indexed by the value, the rest in a dictionary: the
/// array costs no hashing on the hot path.
public struct ValueCounts: Sendable {
    private static let denseLimit: Int64 = 1 << 16
    private var dense: [Int64] = []
    private var sparse: [Int64: Int64] = [:]
    public private(set) var total: Int64 = 0

    public init() {}

    public mutating func add(_ value: Int64, count: Int64 = 1) {
        if value >= 0 && value < Self.denseLimit {
            if dense.isEmpty { dense = [Int64](repeating: 0, count: Int(Self.denseLimit)) }
            dense[Int(value)] += count
        } else {
            sparse[value, default: 0] += count
        }
        total += count
    }

    /// The values in ascending order with their counts.
    public func sorted() -> SortedValueCounts {
        var entries = sparse.filter { $0.key < 0 }.sorted { $0.key < $1.key }.map { (value: $0.key, count: $0.value) }
        for (value, count) in dense.enumerated() where count > 0 { entries.append((value: Int64(value), count: count)) }
        entries += sparse.filter { $0.key >= Self.denseLimit }.sorted { $0.key < $1.key }.map { (value: $0.key, count: $0.value) }
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

/// `percentile_cont` of values that arrive in ascending order, each with its
/// count, when their total is known beforehand: the ranks each fraction
/// needs are known, so the values at those ranks are kept as they pass and
/// nothing else is held, however many values there are.
struct StreamingPercentiles {
    let fractions: [ExactDecimal]
    let total: Int64
    /// The 0-based ranks whose values the fractions need.
    private let ranks: [Int64]
    private var values: [Int64: Int64] = [:]
    private var seen: Int64 = 0

    init(total: Int64, fractions: [ExactDecimal]) {
        self.total = total
        self.fractions = fractions
        var ranks: Set<Int64> = []
        if total > 0 {
            for fraction in fractions {
                let one = Int128.powerOfTen(fraction.scale)
                let h = fraction.units * Int128(total - 1)
                ranks.insert(Int64(h / one))
                if h % one != 0 { ranks.insert(Int64(h / one) + 1) }
            }
        }
        self.ranks = ranks.sorted()
    }

    /// The next value in ascending order and how many times it occurs.
    mutating func add(_ value: Int64, count: Int64) {
        let next = seen + count
        for rank in ranks where rank >= seen && rank < next { values[rank] = value }
        seen = next
    }

    /// `percentile_cont(fraction)` once every value was added; nil when
    /// there were none.
    func percentile(_ fraction: ExactDecimal) -> ExactDecimal? {
        guard total > 0, seen == total else { return nil }
        let one = Int128.powerOfTen(fraction.scale)
        let h = fraction.units * Int128(total - 1)
        let lower = values[Int64(h / one)]!
        let remainder = h % one
        guard remainder != 0 else { return ExactDecimal(lower) }
        let upper = values[Int64(h / one) + 1]!
        return ExactDecimal(units: Int128(lower) * one + remainder * Int128(upper - lower), scale: fraction.scale)
    }
}

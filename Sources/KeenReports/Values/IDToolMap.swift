/// For each 128-bit id (a session's, a user's), the set of tools it used, as
/// a bit mask of up to 64 tool indexes: counting the distinct sessions per
/// tool then needs one entry per session instead of one per (tool, session)
/// pair, and one hash probe per execution.
///
/// Open addressing with linear probing, a multiplicative hash of the id's
/// bits (v4 uuids are random already; Swift's seeded SipHash was most of
/// cost_per_tool's time in perf), at most three quarters full. Memory: 24
/// bytes per slot.
public struct IDToolMap: Sendable {
    public static let maxTools = 64

    private var keys: [UInt128]
    private var masks: [UInt64]  // 0: empty slot (a used slot has a bit set)
    private var mask: Int
    private var used = 0
    /// The slot found last (tried first; any slot is safe, its key is compared).
    private var lastSlot = 0

    /// Sized for `capacity` ids, so that adding that many never grows it.
    public init(capacity: Int = 12) {
        var slots = 16
        while slots * 3 < capacity * 4 { slots *= 2 }
        keys = [UInt128](repeating: 0, count: slots)
        masks = [UInt64](repeating: 0, count: slots)
        mask = slots - 1
    }

    @inline(__always)
    static func hash(_ id: UInt128) -> Int {
        let mixed = (UInt64(truncatingIfNeeded: id) ^ UInt64(truncatingIfNeeded: id >> 64)) &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: mixed >> 20)
    }

    /// Records that `id` used tool `tool` (0..<64).
    public mutating func add(_ id: UInt128, tool: Int) {
        add(id, tools: 1 << UInt64(tool))
    }

    /// Records that `id` used the tools of the bit mask `tools` (not 0).
    public mutating func add(_ id: UInt128, tools: UInt64) {
        // Rows of one id often come together (a session's executions, its user's).
        if id == keys[lastSlot] && masks[lastSlot] != 0 {
            masks[lastSlot] |= tools
            return
        }
        var index = Self.hash(id) & mask
        while masks[index] != 0 {
            if keys[index] == id {
                masks[index] |= tools
                lastSlot = index
                return
            }
            index = (index + 1) & mask
        }
        keys[index] = id
        masks[index] = tools
        lastSlot = index
        used += 1
        if used * 4 > keys.count * 3 { grow() }
    }

    /// Distinct ids held.
    public var count: Int { used }

    /// Each id held with the bit mask of its tools, in no particular order.
    public func forEach<Failure: Error>(_ body: (UInt128, UInt64) throws(Failure) -> Void) throws(Failure) {
        for index in keys.indices where masks[index] != 0 {
            try body(keys[index], masks[index])
        }
    }

    /// How many ids used each tool, indexed by tool.
    public func countsPerTool() -> [Int64] {
        var counts = [Int64](repeating: 0, count: Self.maxTools)
        for var bits in masks where bits != 0 {
            while bits != 0 {
                counts[bits.trailingZeroBitCount] += 1
                bits &= bits - 1
            }
        }
        return counts
    }

    private mutating func grow() {
        let oldKeys = keys
        let oldMasks = masks
        keys = [UInt128](repeating: 0, count: oldKeys.count * 2)
        masks = [UInt64](repeating: 0, count: oldKeys.count * 2)
        mask = keys.count - 1
        for index in oldKeys.indices where oldMasks[index] != 0 {
            var target = Self.hash(oldKeys[index]) & mask
            while masks[target] != 0 { target = (target + 1) & mask }
            keys[target] = oldKeys[index]
            masks[target] = oldMasks[index]
        }
    }
}

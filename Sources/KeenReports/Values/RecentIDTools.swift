/// The tools of the ids seen last, in a small direct-mapped table that sits
/// in front of `PartitionedIDToolCounter`'s files: an id that comes again
/// while it is still here adds nothing to write. A session's tool
/// executions are near each other in the table (they are written while the
/// session runs), so most repeats are caught, and the files get one entry
/// per session (its tools as a bit mask) instead of one per execution.
///
/// Exact whatever the order: an id's tools go to the files when another id
/// takes its slot, and every id still here when the table is drained. An id
/// evicted and seen again is written twice; the files' counting merges the
/// two. Memory: 24 bytes per slot, 192 KiB with the default 8,192 slots.
struct RecentIDTools {
    private var keys: [UInt128]
    private var masks: [UInt64]  // 0: empty slot
    private let mask: Int
    /// Ids added, and how many of them were already here.
    private(set) var added = 0
    private(set) var repeats = 0

    /// `slots` is rounded up to a power of two.
    init(slots: Int = 8_192) {
        var size = 1
        while size < slots { size *= 2 }
        keys = [UInt128](repeating: 0, count: size)
        masks = [UInt64](repeating: 0, count: size)
        mask = size - 1
    }

    /// Records that `id` used tool `tool` (0..<64). When `id` takes the slot
    /// of another id, calls `evicted` with that id and its tools.
    @inline(__always)
    mutating func add<Failure: Error>(_ id: UInt128, tool: Int,
                                      evicted: (UInt128, UInt64) throws(Failure) -> Void) throws(Failure) {
        let bit: UInt64 = 1 << UInt64(tool)
        let slot = IDToolMap.hash(id) & mask
        added += 1
        if keys[slot] == id && masks[slot] != 0 {
            masks[slot] |= bit
            repeats += 1
            return
        }
        if masks[slot] != 0 { try evicted(keys[slot], masks[slot]) }
        keys[slot] = id
        masks[slot] = bit
    }

    /// Calls `body` with every id held and its tools, and empties the table.
    mutating func drain<Failure: Error>(_ body: (UInt128, UInt64) throws(Failure) -> Void) throws(Failure) {
        for slot in keys.indices where masks[slot] != 0 {
            try body(keys[slot], masks[slot])
            masks[slot] = 0
        }
    }
}

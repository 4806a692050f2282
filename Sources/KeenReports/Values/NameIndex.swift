import Foundation

/// The few names a report groups by (tools, client types), met as the bytes
/// of a COPY buffer, each numbered in the order first seen, up to
/// `IDToolMap.maxTools`. The name matched last is tried first (rows of one
/// name often come together), then the one its hash points to: where names
/// are interleaved (the tool-heavy month), trying each known name in turn
/// cost cost_per_tool a memcmp per name per row. Comparing bytes costs no String.
struct NameIndex {
    private(set) var names: [[UInt8]] = []
    private var last = 0
    /// Hash slot → name number + 1 (0: empty); four times the names at most,
    /// with linear probing.
    private var slots = [UInt8](repeating: 0, count: 256)
    /// What the names are, for the error past the limit ("tool names").
    let what: String

    init(of what: String) { self.what = what }

    /// The number of `name`, numbering it when it is new.
    @inline(__always)
    mutating func index(of name: UnsafeRawBufferPointer) throws(EngineError) -> Int {
        if last < names.count && Self.equal(names[last], name) { return last }
        var slot = Self.hash(name)
        while slots[slot] != 0 {
            let found = Int(slots[slot]) - 1
            if Self.equal(names[found], name) {
                last = found
                return found
            }
            slot = (slot + 1) & (slots.count - 1)
        }
        guard names.count < IDToolMap.maxTools else {
            throw .engine("more than \(IDToolMap.maxTools) distinct \(what) in the window")
        }
        names.append(Array(name))
        last = names.count - 1
        slots[slot] = UInt8(names.count)
        return last
    }

    /// A slot for `name`: its length and its first and last eight bytes, mixed.
    @inline(__always)
    private static func hash(_ name: UnsafeRawBufferPointer) -> Int {
        var bits = UInt64(name.count) &* 0x9E37_79B9_7F4A_7C15
        if name.count >= 8 {
            bits ^= name.loadUnaligned(as: UInt64.self)
            bits = (bits ^ (bits >> 29)) &* 0xBF58_476D_1CE4_E5B9
            bits ^= name.loadUnaligned(fromByteOffset: name.count - 8, as: UInt64.self)
        } else {
            for byte in name { bits = (bits ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        }
        bits = (bits ^ (bits >> 32)) &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: bits >> 56)
    }

    @inline(__always)
    private static func equal(_ known: [UInt8], _ name: UnsafeRawBufferPointer) -> Bool {
        // An empty buffer may have no address: empty names are equal without memcmp.
        known.count == name.count
            && (name.isEmpty || known.withUnsafeBytes { memcmp($0.baseAddress!, name.baseAddress!, name.count) == 0 })
    }
}

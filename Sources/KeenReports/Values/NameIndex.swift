import Foundation

/// The few names a report groups by (tools, client types), met as the bytes
/// of a COPY buffer, each numbered in the order first seen, up to
/// `IDToolMap.maxTools`. The name matched last is tried first (rows of one
/// name often come together), then the one its hash points to: where names
/// are interleaved (the tool-heavy month), trying each known name in turn
/// cost cost_per_tool a memcmp per name per row. Comparing bytes costs no String.
struct NameIndex {
    private(set) var names: [[UInt8]] = []
    /// Each name's `Fingerprint`, indexed like `names`.
    private var fingerprints: [Fingerprint] = []
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
        let fingerprint = Fingerprint(name)
        if last < names.count && equal(last, fingerprint, name) { return last }
        var slot = fingerprint.slot
        while slots[slot] != 0 {
            let found = Int(slots[slot]) - 1
            if equal(found, fingerprint, name) {
                last = found
                return found
            }
            slot = (slot + 1) & (slots.count - 1)
        }
        guard names.count < IDToolMap.maxTools else {
            throw .engine("more than \(IDToolMap.maxTools) distinct \(what) in the window")
        }
        names.append(Array(name))
        fingerprints.append(fingerprint)
        last = names.count - 1
        slots[slot] = UInt8(names.count)
        return last
    }

    /// Whether known name `number` is `name`: its fingerprint decides for
    /// names of 16 bytes at most; a longer one compares its bytes too.
    @inline(__always)
    private func equal(_ number: Int, _ fingerprint: Fingerprint, _ name: UnsafeRawBufferPointer) -> Bool {
        guard fingerprints[number] == fingerprint else { return false }
        return name.count <= 16 || names[number].withUnsafeBytes { memcmp($0.baseAddress!, name.baseAddress!, name.count) == 0 }
    }

    /// A name's length and two words of its bytes, read without a call or a
    /// loop: up to 16 bytes they hold every byte (the words overlap when the
    /// name is shorter than two), so two names of that size are equal exactly
    /// when their fingerprints are.
    struct Fingerprint: Equatable {
        let count: Int
        let head: UInt64
        let tail: UInt64

        @inline(__always)
        init(_ name: UnsafeRawBufferPointer) {
            count = name.count
            switch name.count {
            case 8...:
                head = name.loadUnaligned(as: UInt64.self)
                tail = name.loadUnaligned(fromByteOffset: name.count - 8, as: UInt64.self)
            case 4..<8:
                head = UInt64(name.loadUnaligned(as: UInt32.self))
                tail = UInt64(name.loadUnaligned(fromByteOffset: name.count - 4, as: UInt32.self))
            default:
                var bytes: UInt64 = 0
                for byte in name { bytes = bytes << 8 | UInt64(byte) }
                head = bytes
                tail = 0
            }
        }

        /// A slot of the 256 for the name.
        @inline(__always)
        var slot: Int {
            var bits = (head ^ (UInt64(count) &* 0x9E37_79B9_7F4A_7C15)) &* 0xBF58_476D_1CE4_E5B9
            bits = (bits ^ (bits >> 29) ^ tail) &* 0x94D0_49BB_1331_11EB
            return Int(truncatingIfNeeded: bits >> 56)
        }
    }
}

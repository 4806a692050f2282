import Foundation

/// The few names a report groups by (tools, client types), met as the bytes
/// of a COPY buffer, each numbered in the order first seen, up to
/// `IDToolMap.maxTools`. The name matched last is tried first: rows of one
/// name tend to come together, and comparing bytes costs no String.
struct NameIndex {
    private(set) var names: [[UInt8]] = []
    private var last = 0
    /// What the names are, for the error past the limit ("tool names").
    let what: String

    init(of what: String) { self.what = what }

    /// The number of `name`, numbering it when it is new.
    @inline(__always)
    mutating func index(of name: UnsafeRawBufferPointer) throws(EngineError) -> Int {
        if last < names.count && Self.equal(names[last], name) { return last }
        if let found = names.firstIndex(where: { Self.equal($0, name) }) {
            last = found
            return found
        }
        guard names.count < IDToolMap.maxTools else {
            throw .engine("more than \(IDToolMap.maxTools) distinct \(what) in the window")
        }
        names.append(Array(name))
        last = names.count - 1
        return last
    }

    @inline(__always)
    private static func equal(_ known: [UInt8], _ name: UnsafeRawBufferPointer) -> Bool {
        // An empty buffer may have no address: empty names are equal without memcmp.
        known.count == name.count
            && (name.isEmpty || known.withUnsafeBytes { memcmp($0.baseAddress!, name.baseAddress!, name.count) == 0 })
    }
}

/// A range of a table's blocks, `[fromBlock, toBlock)`, read by one
/// connection of a split scan through PostgreSQL's TID range scan.
struct ScanRange: Sendable, Equatable {
    let fromBlock: UInt32
    /// nil: to the end of the table.
    let toBlock: UInt32?

    static let whole = ScanRange(fromBlock: 0, toBlock: nil)

    var fromTID: String { "(\(fromBlock),0)" }
    /// A bound past every real tuple of the table for the last range.
    var toTID: String { "(\(toBlock ?? UInt32.max),0)" }

    /// `parts` ranges covering `blocks` blocks in order; the last runs to the
    /// end, so rows in blocks added since the count are read too.
    static func split(blocks: Int64, into parts: Int) -> [ScanRange] {
        let parts = max(1, parts)
        let size = max(1, (blocks + Int64(parts) - 1) / Int64(parts))
        return (0..<parts).map { index in
            let start = UInt32(clamping: Int64(index) * size)
            return ScanRange(fromBlock: start, toBlock: index == parts - 1 ? nil : UInt32(clamping: Int64(index + 1) * size))
        }
    }
}

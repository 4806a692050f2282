/// What a night's outcome is called in a delivery file: each recipient and
/// webhook names the ones it wants (DELIVERY.md).
public enum DeliveryEvent: String, Sendable, CaseIterable {
    case clean, discrepancies, failed

    /// The event of a night's exit status; nil for a held lock (75), when
    /// nothing ran and the night that holds it delivers.
    public init?(status: ExitStatus) {
        switch status {
        case .clean: self = .clean
        case .discrepancies: self = .discrepancies
        case .locked: return nil
        default: self = .failed
        }
    }
}

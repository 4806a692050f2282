/// Where and how a run writes its files.
public struct OutputOptions: Sendable {
    public enum Format: String, Sendable, CaseIterable {
        case csv, json
    }

    public var directory: String
    public var formats: Set<Format>
    /// Prefix text cells that start like a spreadsheet formula with `'`.
    public var formulaGuard: Bool

    public init(directory: String, formats: Set<Format> = [.csv, .json], formulaGuard: Bool = true) {
        self.directory = directory
        self.formats = formats
        self.formulaGuard = formulaGuard
    }

    func path(of name: String, _ format: Format) -> String {
        (directory.hasSuffix("/") ? directory : directory + "/") + name + "." + format.rawValue
    }
}

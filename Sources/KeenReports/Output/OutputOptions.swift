/// Where and how a run writes its files.
public struct OutputOptions: Sendable {
    public enum Format: String, Sendable, CaseIterable {
        case csv, json, xlsx

        /// `csv,json`, `xlsx` or `all` (every format), as `--format` takes it.
        public static func parseList(_ text: String) throws(EngineError) -> Set<Format> {
            var formats: Set<Format> = []
            for name in text.split(separator: ",", omittingEmptySubsequences: false) {
                let name = name.trimmingWhitespaceString().lowercased()
                if name == "all" { formats.formUnion(allCases); continue }
                guard let format = Format(rawValue: name) else {
                    throw .usage("unknown format '\(name.prefix(20))' in '\(text.prefix(40))' (csv, json, xlsx or all)")
                }
                formats.insert(format)
            }
            return formats
        }

        public static let defaults: Set<Format> = [.csv, .json]
    }

    public var directory: String
    public var formats: Set<Format>
    /// Prefix text cells that start like a spreadsheet formula with `'`.
    public var formulaGuard: Bool
    /// Data rows per workbook sheet before a continuation sheet; Excel's
    /// limit, lowered only by tests.
    public var xlsxRowsPerSheet = XLSXReportWriter.maxRowsPerSheet

    public init(directory: String, formats: Set<Format> = Format.defaults, formulaGuard: Bool = true) {
        self.directory = directory
        self.formats = formats
        self.formulaGuard = formulaGuard
    }

    func path(of name: String, _ format: Format) -> String {
        (directory.hasSuffix("/") ? directory : directory + "/") + name + "." + format.rawValue
    }
}

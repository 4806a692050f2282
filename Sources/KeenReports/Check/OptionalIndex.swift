import Foundation

/// An index of `schema/optional/`: no report depends on it, but without it
/// a night reads more than its day. Each file names the index it creates and,
/// in a `-- cost:` line, what going without it measured (BENCHMARKS.md), and
/// in a `-- for:` line the commands it speeds up.
struct OptionalIndex {
    let file: String
    let name: String
    let cost: String
    let commands: [String]

    /// Every file of `<catalog>/schema/optional/`, by name; none when the folder is missing.
    static func all(in catalog: URL) throws(EngineError) -> [OptionalIndex] {
        let folder = catalog.appendingPathComponent("schema/optional")
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
        return try names.filter { $0.hasSuffix(".sql") }.sorted().map { name throws(EngineError) in
            let path = folder.appendingPathComponent(name).path
            guard let text = FileManager.default.contents(atPath: path).map({ String(decoding: $0, as: UTF8.self) }) else {
                throw .badInput("cannot read \(path)")
            }
            return try OptionalIndex(file: path, text: text)
        }
    }

    init(file: String, text: String) throws(EngineError) {
        self.file = file
        func comment(_ key: String) -> String? {
            text.split(separator: "\n").first { $0.hasPrefix("-- \(key):") }.map { $0.dropFirst(key.count + 4).trimmingWhitespaceString() }
        }
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" })
        guard let exists = words.firstIndex(of: "EXISTS"), exists + 1 < words.count, let cost = comment("cost"),
              let commands = comment("for") else {
            throw .badInput("\(file): an optional index file needs '-- cost:', '-- for:' and CREATE INDEX ... IF NOT EXISTS name")
        }
        name = String(words[exists + 1])
        self.cost = cost
        self.commands = commands.split(separator: ",").map { $0.trimmingWhitespaceString() }
    }
}

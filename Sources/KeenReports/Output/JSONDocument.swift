import Foundation

/// Files the engine wrote and reads back whole: a JSON object
/// (`reconciliation_summary.json`, a month's close), or JSON Lines that a
/// manifest vouches for (a checkpoint, the register's state). Anything that
/// does not read is exit 65 naming the file.
enum JSONDocument {
    /// The object of a JSON file.
    static func object(at path: String) throws(EngineError) -> [String: Any] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .badInput("\(path): cannot read it (missing or not readable)")
        }
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw .badInput("\(path): not a JSON object")
        }
        return object
    }

    /// Each line of a JSON Lines file, the header first, once its bytes hash
    /// to `sha256` (its manifest's digest); parsed one line at a time, so a
    /// checkpoint of many accounts holds one of them parsed at once.
    static func lines(at path: String, sha256: String, _ body: ([String: Any]) throws(EngineError) -> Void) throws(EngineError) {
        try verify(path, sha256: sha256)
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw .badInput("\(path) is not readable text") }
        var empty = true
        for line in text.split(separator: "\n") {
            guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else {
                throw .badInput("\(path): a line is not a JSON object")
            }
            empty = false
            try body(object)
        }
        guard !empty else { throw .badInput("\(path) is empty") }
    }

    /// A file a manifest lists is trusted only while its bytes hash to the digest listed.
    static func verify(_ path: String, sha256: String) throws(EngineError) {
        guard try SHA256.hexDigest(ofFile: path) == sha256 else {
            throw .badInput("\(path) does not match the SHA-256 its manifest lists (damaged or changed)")
        }
    }
}

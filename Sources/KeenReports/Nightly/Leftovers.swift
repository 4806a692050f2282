import Foundation

/// What a nightly run that died (SIGKILL, a power cut) leaves in the output
/// folder: its `.<date>.staging-<pid>` folder, an old day folder moved aside
/// (`….old`) and `.<name>.<pid>.<n>.tmp` files. They are removed by the next
/// run, which holds the lock, so no run of its own is writing them; a folder
/// whose process is still alive is kept all the same (a pid in use again
/// only delays the clean-up to a later night).
enum Leftovers {
    /// Removes them from `directory`; returns each removed path with its pid.
    static func remove(in directory: String) -> [(path: String, pid: Int32)] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        var removed: [(String, Int32)] = []
        for name in names.sorted() {
            guard let pid = owner(of: name), pid != getpid(), !isAlive(pid) else { continue }
            let path = directory + "/" + name
            if (try? FileManager.default.removeItem(atPath: path)) != nil { removed.append((path, pid)) }
        }
        return removed
    }

    /// The pid in a staging folder's or temporary file's name, or nil for
    /// any other name.
    static func owner(of name: String) -> Int32? {
        guard name.hasPrefix(".") else { return nil }
        if let range = name.range(of: ".staging-") {
            var rest = name[range.upperBound...]
            if rest.hasSuffix(".old") { rest = rest.dropLast(4) }
            return Int32(rest)
        }
        let parts = name.split(separator: ".")
        // "", name..., pid, random, "tmp" (the leading dot gives no part)
        guard name.hasSuffix(".tmp"), parts.count >= 4, UInt32(parts[parts.count - 2]) != nil else { return nil }
        return Int32(parts[parts.count - 3])
    }

    private static func isAlive(_ pid: Int32) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }
}

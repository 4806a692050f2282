import Foundation

/// Puts a finished folder in place of another in one step, so a reader sees
/// the old folder or the new one, never a half-written one or none.
enum DirectorySwap {
    private typealias Renameat2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
    private static let renameExchange: UInt32 = 2  // RENAME_EXCHANGE, linux/fs.h

    /// glibc's renameat2, looked up at run time: Swift's Glibc module does
    /// not export it.
    private static let renameat2: Renameat2? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2") else { return nil }
        return unsafeBitCast(symbol, to: Renameat2.self)
    }()

    /// Moves `staged` to `destination`, replacing what is there; the old
    /// folder is removed afterwards.
    static func replace(_ destination: String, with staged: String) throws(EngineError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: destination, isDirectory: &isDirectory) else {
            guard rename(staged, destination) == 0 else { throw failure(destination) }
            return
        }
        if isDirectory.boolValue, let renameat2, renameat2(AT_FDCWD, staged, AT_FDCWD, destination, renameExchange) == 0 {
            // `staged` now holds the old folder.
            try? FileManager.default.removeItem(atPath: staged)
            return
        }
        // No atomic exchange here (another kernel or file system): move the
        // old folder aside first, so there is a moment with no folder, but
        // never a partial one.
        let aside = staged + ".old"
        guard rename(destination, aside) == 0 else { throw failure(destination) }
        guard rename(staged, destination) == 0 else {
            _ = rename(aside, destination)
            throw failure(destination)
        }
        try? FileManager.default.removeItem(atPath: aside)
    }

    private static func failure(_ path: String) -> EngineError {
        .output("cannot put \(path) in place: \(String(cString: strerror(errno)))")
    }
}

import Foundation

/// The output folder as the command will find it, looked at without
/// creating or changing anything: can it be made or written, is there room
/// for a night, is the nightly lock free, and what the newest night recorded.
struct OutputFolderCheck {
    let path: String

    /// Room below which a night may not fit, when no earlier night says
    /// how much one takes.
    static let minimumFree: Int64 = 64 << 20

    func writable() -> SetupCheck {
        var folder = URL(fileURLWithPath: path).standardizedFileURL
        var missing: [String] = []
        while true {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder) {
                guard isFolder.boolValue else {
                    return .fail("output folder", .output("\(folder.path) is a file, so \(path) cannot be made there"),
                                 fix: "pass --output-dir a folder, or move \(folder.path) away")
                }
                guard access(folder.path, W_OK | X_OK) == 0 else {
                    return .fail("output folder", .output("\(folder.path) is not writable by uid \(geteuid())"),
                                 fix: "chown or chmod \(folder.path) so that the user running keen-reports may write there")
                }
                return .ok("output folder", missing.isEmpty ? "\(path) is writable"
                                : "\(path) does not exist yet; \(folder.path) is writable, so the command will make it")
            }
            missing.append(folder.lastPathComponent)
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { return .fail("output folder", .output("no existing folder above \(path)")) }
            folder = parent
        }
    }

    /// Free space on the folder's file system against the newest day folder:
    /// replacing a day holds the old and the new side by side.
    func space() -> SetupCheck {
        var folder = URL(fileURLWithPath: path).standardizedFileURL
        while !FileManager.default.fileExists(atPath: folder.path) && folder.path != "/" { folder = folder.deletingLastPathComponent() }
        var stats = statvfs()
        guard statvfs(folder.path, &stats) == 0 else {
            return .warn("free space", "cannot read the free space of \(folder.path): \(String(cString: strerror(errno)))", fix: "check the file system")
        }
        let free = Int64(stats.f_bavail) * Int64(stats.f_frsize)
        let night = newestDay.map { Self.size(of: $0) }
        let needed = max(Self.minimumFree, 2 * (night ?? 0))
        let found = "\(ByteCount.text(free)) free on \(folder.path)" + (night.map { "; the newest night took \(ByteCount.text($0))" } ?? "")
        if free < (night ?? Self.minimumFree) {
            return .fail("free space", .output(found), fix: "free space on \(folder.path) or pass --output-dir on a larger file system")
        }
        if free < needed { return .warn("free space", found + "; replacing a day needs room for two", fix: "free space on \(folder.path)") }
        return .ok("free space", found)
    }

    /// The nightly lock: free, or held by a running night (exit 75). A lock
    /// file no process holds is free; none is made when there is none.
    func lock() -> SetupCheck {
        let file = path + "/.keen-reports-nightly.lock"
        let descriptor = open(file, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return .ok("nightly lock", "free (no lock file yet)") }
        defer { close(descriptor) }
        guard flock(descriptor, LOCK_SH | LOCK_NB) == 0 else {
            let holder = (try? String(contentsOfFile: file, encoding: .utf8))?.trimmingWhitespaceString() ?? ""
            return .fail("nightly lock", EngineError(.locked, "another nightly run holds the lock on \(path) (\(file)\(holder.isEmpty ? "" : ", \(holder)"))"),
                         fix: "wait for it to finish, or find the process holding it (fuser \(file))")
        }
        flock(descriptor, LOCK_UN)
        return .ok("nightly lock", "free")
    }

    /// The months finance closed (`closes/`): a night verifies them, so a
    /// close that does not read would fail the night's reconciliation.
    func closes() -> SetupCheck? {
        guard FileManager.default.fileExists(atPath: path + "/" + MonthClose.folder) else { return nil }
        do {
            let closes = try MonthClose.all(in: path)
            return .ok("closed months", closes.isEmpty ? "none" : closes.map(\.month.description).joined(separator: ", "))
        } catch {
            return .fail("closed months", error, fix: "restore the file from the backup of the output folder; a close is finance's record")
        }
    }

    /// The newest day folder with a manifest: `<path>/YYYY-MM-DD/`.
    var newestDay: String? {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.filter { CivilDate($0) != nil && FileManager.default.fileExists(atPath: path + "/" + $0 + "/manifest.json") }
            .max().map { path + "/" + $0 }
    }

    /// The longest report of the newest night, from its manifest.
    var longestReport: (name: String, seconds: Double, day: String)? {
        guard let day = newestDay, let manifest = DayManifest.ifPresent(folder: day) else { return nil }
        let longest = manifest.reports.compactMap { report -> (String, Double)? in
            guard let name = report["name"] as? String, let milliseconds = report["duration_ms"] as? NSNumber else { return nil }
            return (name, milliseconds.doubleValue / 1000)
        }.max { $0.1 < $1.1 }
        return longest.map { ($0.0, $0.1, URL(fileURLWithPath: day).lastPathComponent) }
    }

    private static func size(of folder: String) -> Int64 {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.reduce(0) { total, name in
            total + ((try? FileManager.default.attributesOfItem(atPath: folder + "/" + name)[.size] as? NSNumber)?.int64Value ?? 0)
        }
    }
}

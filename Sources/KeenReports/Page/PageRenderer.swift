import Foundation

/// Writes the pages of FORMATS.md from files already written, never from
/// the database: a day folder's `index.html`, and an output folder's
/// `index.html` with every day's page made again.
public enum PageRenderer {
    /// `keen-reports render DIR`. Every page is made in memory first, so a
    /// damaged file (exit 65, naming it) leaves every page as it was. Returns
    /// the pages written.
    @discardableResult
    public static func render(_ directory: String) throws(EngineError) -> [String] {
        var pages: [(path: String, html: String)] = []
        if FileManager.default.fileExists(atPath: directory + "/manifest.json") {
            pages.append((directory + "/index.html", DayPage(model: try DayPageModel(folder: directory)).html))
        } else {
            let days = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
                .filter { CivilDate($0) != nil && FileManager.default.fileExists(atPath: directory + "/\($0)/manifest.json") }
            guard !days.isEmpty else {
                throw .badInput("\(directory) is neither a day folder (no manifest.json) nor an output folder holding day folders")
            }
            for day in days.sorted() {
                let folder = directory + "/" + day
                pages.append((folder + "/index.html", DayPage(model: try DayPageModel(folder: folder)).html))
            }
            pages.append((directory + "/index.html", try IndexPage(directory: directory).html))
        }
        for page in pages { try write(page.html, to: page.path) }
        return pages.map(\.path)
    }

    /// A day's page, into the day's folder (the nightly run, in its staging folder).
    static func renderDay(_ folder: String, sections: DaySections? = nil) throws(EngineError) {
        try write(DayPage(model: try DayPageModel(folder: folder, sections: sections)).html, to: folder + "/index.html")
    }

    /// The output folder's list of days.
    static func renderIndex(_ directory: String) throws(EngineError) {
        try write(try IndexPage(directory: directory).html, to: directory + "/index.html")
    }

    private static func write(_ html: String, to path: String) throws(EngineError) {
        let file = try AtomicFile(path: path)
        try file.write(html)
        try file.commit()
    }
}

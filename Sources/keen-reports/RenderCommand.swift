import ArgumentParser
import KeenReports

struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Make the HTML pages again from the files in a day folder or an output folder, without the database.",
        discussion: """
            A day folder (one with manifest.json) gets its index.html; an output folder gets every day's page and its \
            own index.html, the list of days. A damaged or missing file exits 65 naming it, and no page is written.
            """)

    @Argument(help: ArgumentHelp("A day folder (<output-dir>/<date>) or an output folder.", valueName: "DIR"))
    var directory: String

    func run() throws {
        for page in try PageRenderer.render(directory) { print(page) }
    }
}

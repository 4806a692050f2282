import ArgumentParser
import Foundation
import KeenReports

struct ExceptionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exceptions",
        abstract: "Print finance's exception register as of a day nightly wrote, without the database.",
        discussion: """
            One row per exception open that night (oldest first) and per exception that closed that night, with \
            the columns of the day's exceptions.csv. The day's files are checked against its manifest; a damaged \
            register is rebuilt from the days before it, and a line on stderr says so. Exit status: 0, or 65 when \
            the day has no usable register.
            """)

    @Option(help: ArgumentHelp("The day, as nightly wrote it.", valueName: "YYYY-MM-DD"), transform: CivilDate.parse)
    var asOf: CivilDate

    @Option(help: ArgumentHelp("Folder holding the day folders.", valueName: "DIR"))
    var outputDir: String = "output"

    @Flag(help: "The day's exceptions.json instead of its CSV (JSON Lines, one object per exception, when rebuilt).")
    var json = false

    func run() throws {
        let register = try WrittenRegister(asOf: asOf, in: outputDir, format: json ? .json : .csv)
        if let note = register.note { KeenReportsCommand.warn(note) }
        print(register.text, terminator: "")
        KeenReportsCommand.warn("exception register of \(asOf): \(register.open) open, \(register.closed) closed that night")
    }
}

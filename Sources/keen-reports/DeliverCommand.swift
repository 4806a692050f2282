import ArgumentParser
import Foundation
import KeenReports
import Logging

/// The delivery file of `nightly` and `deliver`: `--deliver`, else KEEN_REPORTS_DELIVERY.
struct DeliveryOptions: ParsableArguments {
    @Option(name: .customLong("deliver"),
            help: ArgumentHelp("A delivery file (YAML): who gets each day by email and webhook (default: KEEN_REPORTS_DELIVERY).", valueName: "FILE"))
    var deliveryFile: String?

    var path: String? {
        deliveryFile ?? ProcessInfo.processInfo.environment["KEEN_REPORTS_DELIVERY"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Read and checked whole, before anything is read from the database.
    func load() throws -> DeliveryFile? {
        try path.map { path throws(EngineError) in try DeliveryFile.load(path: path) }
    }
}

struct DeliverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deliver",
        abstract: "Send a day that nightly wrote again, by email and webhook, without touching the database.",
        discussion: """
            After a mail outage, or to send one day to a new recipient. The day's files are checked against its \
            manifest first. Exit status: 0 everything tried was sent, 70 a delivery failed, 65 the day's folder is \
            damaged, 64 a bad delivery file.
            """)

    @Option(help: ArgumentHelp("The day, as nightly wrote it.", valueName: "YYYY-MM-DD"), transform: CivilDate.parse)
    var date: CivilDate

    @Option(help: ArgumentHelp("Folder holding the day's folder.", valueName: "DIR"))
    var outputDir: String = "output"

    @OptionGroup var delivery: DeliveryOptions

    @Option(parsing: .upToNextOption, help: ArgumentHelp("Only these recipients and webhooks, by name.", valueName: "NAME"))
    var only: [String] = []

    func validate() throws {
        guard delivery.path != nil else { throw ValidationError("give --deliver FILE (or set KEEN_REPORTS_DELIVERY)") }
    }

    func run() throws {
        guard let file = try delivery.load() else { return }
        let unknown = only.filter { !file.targetNames.contains($0) }
        if !unknown.isEmpty {
            throw EngineError.usage("--only \(unknown.joined(separator: ", ")): no such recipient or webhook in \(file.path) (it has \(file.targetNames.joined(separator: ", ")))")
        }
        let day = try DeliveredDay.read(folder: outputDir + "/" + date.description, date: date)
        try day.verifyFiles()
        let log = Logger(label: "keen-reports.deliver") { _ in TextLogHandler(interactive: false, prefix: "keen-reports: ") }
        let outcomes = Deliverer(file: file, log: log).deliver(day, only: only.isEmpty ? nil : Set(only))
        for outcome in outcomes { print("\(outcome.name)\t\(outcome.kind)\t\(outcome.status.rawValue)\t\(outcome.lastAnswer)") }
        if Deliverer.anyFailed(outcomes) { throw ExitCode(ExitStatus.engineFailure.rawValue) }
    }
}

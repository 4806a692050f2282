import ArgumentParser
import KeenReports

struct CloseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "close",
        abstract: "Close a month for finance: record its ledger's roll-forward and digest in the output folder.",
        discussion: """
            Writes closes/<month>.json (the month's roll-forward totals, its row count, a SHA-256 over its ledger rows \
            in canonical order, when and by which role) and closes/<month>.rows; writes nothing to the database. \
            With --verify, hashes a closed month's rows again now and prints each row that differs (exit 1), or \
            that the month is as it was closed (exit 0); writes nothing. Every nightly run also verifies the months closed in the last three months (all of them on its full \
            pass) and reports a change as CLOSED_PERIOD_CHANGED. Refused (exit 1) while the exception register has \
            open exceptions of the month, unless --accept-open gives the reason; 77 when row-level security hides \
            part of the ledger from the role.
            """)

    @Option(help: ArgumentHelp("The month to close.", valueName: "YYYY-MM"), transform: { text in
        guard let month = CivilMonth(text) else { throw ValidationError("--month: '\(text)' is not a month like 2026-11") }
        return month
    })
    var month: CivilMonth

    @Option(help: ArgumentHelp("IANA time zone where the month's days begin, as nightly's --tz. (default: UTC)", valueName: "ZONE"),
            transform: ReportTimeZone.parse)
    var tz: ReportTimeZone = .utc

    @Option(help: ArgumentHelp("Close although the register has open exceptions of the month; the reason and the exceptions go into the file.",
                               valueName: "REASON"))
    var acceptOpen: String?

    @Flag(help: "Check a closed month against its close now, instead of closing it.")
    var verify = false

    @Option(help: ArgumentHelp("The output folder nightly writes (its day folders hold the register; closes/ goes in it).", valueName: "DIR"))
    var outputDir: String = "output"

    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var catalog: CatalogOptions

    func validate() throws {
        try connection.validateOneServer()
        if verify && acceptOpen != nil { throw ValidationError("--verify checks a closed month; --accept-open goes with closing one") }
        if let acceptOpen, acceptOpen.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--accept-open needs a reason finance can read later")
        }
    }

    func run() throws {
        if verify {
            let changed = try MonthCloser(catalog: try catalog.load()).verify(
                month, outputDirectory: outputDir, connection: connection.settings, statementTimeout: connection.statementTimeout)
            for row in changed { print("CLOSED_PERIOD_CHANGED\t\(row.transactionID ?? "")\t\(row.detail)") }
            print(changed.isEmpty ? "\(month): as it was closed" : "\(month): \(changed.count) rows differ from its close")
            if !changed.isEmpty { throw ExitCode(ExitStatus.discrepancies.rawValue) }
            return
        }
        let outcome = try MonthCloser(catalog: try catalog.load()).close(
            .init(month: month, zone: tz, outputDirectory: outputDir, acceptOpen: acceptOpen),
            connection: connection.settings, statementTimeout: connection.statementTimeout)
        print(outcome.path)
        print("closed \(month): \(outcome.rows) ledger rows, sha256 \(outcome.sha256)"
              + (outcome.openExceptions > 0 ? ", \(outcome.openExceptions) open exceptions accepted" : ""))
    }
}

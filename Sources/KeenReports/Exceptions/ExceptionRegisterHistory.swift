import Foundation

/// Last night's register, read from the written days: the newest earlier
/// day's state, else rebuilt (ExceptionRegisterFile). Says where it came
/// from, and what it had to rebuild, for the summary and the log.
struct ExceptionRegisterHistory {
    let register: ExceptionRegister
    /// `the register of 2026-11-14`, `none (the register's first night)`, ...
    let source: String
    /// Each day whose state could not be used, and how it was rebuilt.
    let rebuilt: [String]

    /// The register as of the newest day folder before `date` in `directory`.
    init(before date: CivilDate, in directory: String, metricsZone: ReportTimeZone) {
        let days = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .compactMap(CivilDate.init).filter { $0 < date }.sorted(by: >)
        var rebuilt: [String] = []
        (register, source) = Self.register(of: days[...], in: directory, metricsZone: metricsZone, before: date, rebuilt: &rebuilt)
        self.rebuilt = rebuilt
    }

    /// The register as of the first of `days` (newest first) that kept one.
    private static func register(of days: ArraySlice<CivilDate>, in directory: String, metricsZone: ReportTimeZone,
                                 before date: CivilDate, rebuilt: inout [String]) -> (ExceptionRegister, String) {
        guard let day = days.first else {
            return (ExceptionRegister(night: date.adding(days: -1)), "none (the register's first night)")
        }
        let folder = directory + "/\(day)"
        guard let files = DayManifest.ifPresent(folder: folder)?.files else {
            // A day without a manifest was never finished: as if it were not there.
            return register(of: days.dropFirst(), in: directory, metricsZone: metricsZone, before: date, rebuilt: &rebuilt)
        }
        let stateListed = files[ExceptionRegisterFile.stateName]
        let reportListed = files[ExceptionRegisterFile.reportName + ".json"]
        if stateListed == nil && reportListed == nil {
            // The reconciliation failed that night (the night before carries
            // on), or the day was written before the register existed.
            guard files["reconciliation_summary.json"] == nil else {
                return (ExceptionRegister(night: day), "none (\(day) was written before the register)")
            }
            return register(of: days.dropFirst(), in: directory, metricsZone: metricsZone, before: date, rebuilt: &rebuilt)
        }
        var problems: [String] = []
        if let stateListed {
            do {
                return (try ExceptionRegisterFile.readState(path: folder + "/" + ExceptionRegisterFile.stateName,
                                                            sha256: stateListed.sha256, night: day), "the register of \(day)")
            } catch {
                problems.append(error.message)
            }
        } else {
            problems.append("\(folder)/\(ExceptionRegisterFile.stateName) is not in its manifest")
        }
        if let reportListed {
            do {
                let register = try ExceptionRegisterFile.readReport(path: folder + "/\(ExceptionRegisterFile.reportName).json",
                                                                    sha256: reportListed.sha256, night: day)
                rebuilt.append("\(problems.joined(separator: "; ")): rebuilt from \(day)/\(ExceptionRegisterFile.reportName).json")
                return (register, "the register of \(day), rebuilt from its \(ExceptionRegisterFile.reportName).json")
            } catch {
                problems.append(error.message)
            }
        }
        // The day's own register is gone: the one before it, advanced by the
        // day's discrepancy list (what it could not check again stays open).
        let (before, source) = register(of: days.dropFirst(), in: directory, metricsZone: metricsZone, before: day, rebuilt: &rebuilt)
        let listName = "reconciliation_discrepancies.json"
        guard let listed = files[listName],
              let reported = try? discrepancies(path: folder + "/" + listName, sha256: listed.sha256, metricsZone: metricsZone) else {
            rebuilt.append("\(problems.joined(separator: "; ")); its discrepancy list is not usable either: carried on from \(source)")
            return (ExceptionRegister(night: day, open: before.open), "\(source), carried over \(day)")
        }
        rebuilt.append("\(problems.joined(separator: "; ")): rebuilt from \(source) and \(day)/\(listName)")
        let register = before.advanced(to: .init(date: day, reported: reported, checkedAgain: { _ in false }, statuses: [:],
                                                 metricsZone: metricsZone))
        return (register, "the register of \(day), rebuilt from \(source) and its discrepancy list")
    }

    /// The rows of a written `reconciliation_discrepancies.json`.
    private static func discrepancies(path: String, sha256: String, metricsZone: ReportTimeZone) throws(EngineError) -> [Discrepancy] {
        try JSONDocument.verify(path, sha256: sha256)
        var found: [Discrepancy] = []
        _ = try ReportJSONFile(path: path) { row throws(EngineError) in
            guard let type = DiscrepancyType(rawValue: try row.text("type", in: path)) else {
                throw .badInput("\(path): an unknown discrepancy type")
            }
            let detail = row.optionalText("detail") ?? ""
            var discrepancy = Discrepancy(type, accountID: row.optionalText("account_id"), userID: row.optionalText("user_id"),
                                          transactionID: row.optionalText("transaction_id"), sessionID: row.optionalText("session_id"),
                                          paymentIntentID: row.optionalText("payment_intent_id"),
                                          expected: row.optionalText("expected").map(Discrepancy.Value.text),
                                          actual: row.optionalText("actual").map(Discrepancy.Value.text), detail: detail,
                                          sampledAt: Self.sampleTime(in: detail, zone: metricsZone))
            discrepancy.closedMonth = type == .closedPeriodChanged ? String(detail.prefix(7)) : nil
            found.append(discrepancy)
        }
        return found
    }

    /// The instant a METRICS_ row's detail names (`the sample of 2026-11-15T23:00:00Z says …`).
    private static func sampleTime(in detail: String, zone: ReportTimeZone) -> Timestamp? {
        guard let start = detail.range(of: "the sample of ")?.upperBound else { return nil }
        let text = detail[start...].prefix { $0 != " " }
        return RFC3339.parse(String(text), zone: zone)
    }
}

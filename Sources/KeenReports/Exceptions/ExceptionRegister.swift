/// Finance's exception register as of one night: every exception open
/// tonight, and those that closed tonight (docs/finance.md).
struct ExceptionRegister: Sendable, Equatable {
    let night: CivilDate
    /// Oldest first: by `first_seen`, then key.
    private(set) var open: [RegisteredException]
    /// By key.
    private(set) var closed: [RegisteredException]

    /// An empty register: the night before the first one that kept it.
    init(night: CivilDate, open: [RegisteredException] = [], closed: [RegisteredException] = []) {
        self.night = night
        self.open = open.sorted(by: Self.oldestFirst)
        self.closed = closed.sorted { $0.key < $1.key }
    }

    /// What tonight found, for `advanced(to:)`.
    struct Night {
        let date: CivilDate
        /// Tonight's discrepancies, and those the checks of carried exceptions found again.
        let reported: [Discrepancy]
        /// Whether tonight checked again an exception it did not report.
        let checkedAgain: (RegisteredException) -> Bool
        /// The `reconciliation_status` tonight of each transaction the
        /// register names (`unset` for NULL); a deleted one is missing.
        let statuses: [String: String]
        let metricsZone: ReportTimeZone
    }

    /// The register after `night`: a reported discrepancy opens its
    /// exception or keeps it open; one not reported closes when tonight
    /// checked it again, else stays open as it was. An open exception whose
    /// transaction became `reconciled` since it was last seen closes as
    /// reconciled; a new one opens whatever its transaction's status (a
    /// mark made before the problem appeared settles nothing).
    func advanced(to night: Night) -> ExceptionRegister {
        var carried = Dictionary(open.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        var stillOpen: [RegisteredException] = []
        var closed: [RegisteredException] = []
        func close(_ exception: RegisteredException, _ reason: RegisteredException.ClosedReason) {
            var exception = exception
            exception.closedOn = night.date
            exception.closedReason = reason
            closed.append(exception)
        }
        var seen = Set<ExceptionKey>()
        for discrepancy in night.reported {
            let key = ExceptionKey(discrepancy, metricsZone: night.metricsZone)
            guard seen.insert(key).inserted else { continue }
            if var exception = carried.removeValue(forKey: key) {
                let settled = night.settles(exception)
                exception.update(from: discrepancy)
                exception.transactionStatus = night.status(of: exception)
                exception.lastSeen = night.date
                exception.nightsOpen += 1
                if settled { close(exception, .reconciled) } else { stillOpen.append(exception) }
            } else {
                var exception = RegisteredException(discrepancy, key: key, on: night.date)
                exception.transactionStatus = night.status(of: exception)
                stillOpen.append(exception)
            }
        }
        for var exception in carried.values {
            let settled = night.settles(exception)
            exception.transactionStatus = night.status(of: exception)
            if settled {
                close(exception, .reconciled)
            } else if night.checkedAgain(exception) {
                close(exception, .noLongerReported)
            } else {
                exception.nightsOpen += 1
                stillOpen.append(exception)
            }
        }
        return ExceptionRegister(night: night.date, open: stillOpen, closed: closed)
    }

    var newTonight: Int { open.filter { $0.firstSeen == night && $0.nightsOpen == 1 }.count }

    /// Open exceptions by whole days since `first_seen`, in the buckets of `pending_ageing`.
    var ageing: [(bucket: String, count: Int)] {
        let buckets = [("0_1_days", 0...1), ("2_7_days", 2...7), ("8_30_days", 8...30), ("over_30_days", 31...Int64.max)]
        return buckets.map { bucket in (bucket.0, open.filter { bucket.1.contains($0.age(on: night)) }.count) }
    }

    /// The summary's `exceptions` member; `source` says where last night's register came from.
    func summaryJSON(source: String) -> JSONValue {
        .object([
            ("open", .integer(Int64(open.count))),
            ("new_tonight", .integer(Int64(newTonight))),
            ("still_open", .integer(Int64(open.count - newTonight))),
            ("closed_tonight", .integer(Int64(closed.count))),
            ("closed_no_longer_reported", .integer(Int64(closed.filter { $0.closedReason == .noLongerReported }.count))),
            ("closed_reconciled", .integer(Int64(closed.filter { $0.closedReason == .reconciled }.count))),
            ("ageing", .object(ageing.map { ($0.bucket, .integer(Int64($0.count))) })),
            ("carried_from", .string(source)),
        ])
    }

    private static func oldestFirst(_ a: RegisteredException, _ b: RegisteredException) -> Bool {
        a.firstSeen != b.firstSeen ? a.firstSeen < b.firstSeen : a.key < b.key
    }
}

extension ExceptionRegister.Night {
    func status(of exception: RegisteredException) -> String? {
        exception.transactionID.flatMap { statuses[$0] }
    }

    /// Marked `reconciled` since the register last looked at it.
    func settles(_ exception: RegisteredException) -> Bool {
        let reconciled = ReconciliationStatus.reconciled.rawValue
        return status(of: exception) == reconciled && exception.transactionStatus != reconciled
    }
}

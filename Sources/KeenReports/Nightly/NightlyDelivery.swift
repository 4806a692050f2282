import Foundation

extension NightlyRunner {
    /// Delivers each day of the run once every day is in place: the day's
    /// folder when it was written, else the failure that kept it from being
    /// written. A held lock never gets here (the night that holds it delivers).
    func deliver(_ days: [DayOutcome], options: Options) -> [Deliverer.Outcome] {
        guard let file = options.delivery else { return [] }
        let deliverer = Deliverer(file: file, log: log)
        var outcomes: [Deliverer.Outcome] = []
        for day in days.sorted(by: { $0.date < $1.date }) {
            let folder = options.outputDirectory + "/" + day.date.description
            let delivered: DeliveredDay
            if day.results != nil, let read = try? DeliveredDay.read(folder: folder, date: day.date) {
                delivered = read
            } else {
                let error = day.error ?? EngineError.engine("the day's folder \(folder) cannot be read back")
                delivered = .failed(date: day.date, status: error.status, failure: error.message)
            }
            outcomes += deliverer.deliver(delivered)
        }
        return outcomes
    }
}

import Foundation
import Synchronization

extension NightlyRunner {
    /// The days of a run still to do, shared by the servers' workers. Day i
    /// of the backfill belongs to worker i mod n, so the days are spread over
    /// the servers whatever their speed; a worker whose server stopped
    /// answering leaves its days to the others.
    final class DayQueue: Sendable {
        private struct State {
            var days: [(date: CivilDate, owner: Int)]
            var stopped: Set<Int> = []
            /// Taken and not yet finished or given back.
            var inFlight: Set<CivilDate> = []
        }

        private let state: Mutex<State>
        let count: Int

        init(_ days: [CivilDate], workers: Int = 1) {
            state = Mutex(State(days: days.enumerated().map { ($0.element, $0.offset % max(1, workers)) }))
            count = days.count
        }

        /// The next day for `worker`: its own first, then one whose worker stopped.
        func next(for worker: Int = 0) -> CivilDate? {
            state.withLock { state in
                guard let index = state.days.firstIndex(where: { $0.owner == worker })
                        ?? state.days.firstIndex(where: { state.stopped.contains($0.owner) }) else { return nil }
                let date = state.days.remove(at: index).date
                state.inFlight.insert(date)
                return date
            }
        }

        /// `day` is written, or failed: a day after it need not wait for it.
        func finished(_ day: CivilDate) {
            state.withLock { _ = $0.inFlight.remove(day) }
        }

        /// Waits while another worker is running `day` (the register of the
        /// day after needs it). A day not taken yet is not waited for: the
        /// worker that would take it may be this one.
        func waitWhileRunning(_ day: CivilDate) {
            while state.withLock({ $0.inFlight.contains(day) }) { usleep(20_000) }
        }

        /// `worker` stops, its server not answering: `day` and its other days go to the rest.
        func stop(_ worker: Int, givingBack day: CivilDate) {
            state.withLock { state in
                state.stopped.insert(worker)
                state.inFlight.remove(day)
                state.days.insert((day, worker), at: 0)
            }
        }

        var remaining: [CivilDate] { state.withLock { $0.days.map(\.date) } }

        /// Empties the queue, returning its days.
        func takeAll() -> [CivilDate] {
            state.withLock { state in
                defer { state.days.removeAll() }
                return state.days.map(\.date)
            }
        }
    }

    /// What became of one day: its status and results, or the failure that
    /// ended the run.
    struct DayOutcome: Sendable {
        let date: CivilDate
        let results: (ExitStatus, [NightlyJobResult])?
        let error: EngineError?
    }

    final class DayOutcomes: Sendable {
        private let outcomes = Mutex<[DayOutcome]>([])
        func append(_ more: [DayOutcome]) { outcomes.withLock { $0 += more } }
        var all: [DayOutcome] { outcomes.withLock { $0 } }
    }
}

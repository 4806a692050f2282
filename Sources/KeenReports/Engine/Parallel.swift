import Foundation

/// The engine's one fan-out: `count` workers on threads of their own (each
/// holds a blocking libpq connection, which would starve Dispatch's shared
/// pool), while this thread does `meanwhile`; returns once every worker has
/// finished, also when `meanwhile` throws.
enum Parallel {
    static func run<Result>(_ count: Int, _ worker: @escaping @Sendable (Int) -> Void,
                            meanwhile: () throws -> Result) rethrows -> Result {
        let group = DispatchGroup()
        for index in 0..<max(0, count) {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                worker(index)
            }
        }
        defer { group.wait() }
        return try meanwhile()
    }
}

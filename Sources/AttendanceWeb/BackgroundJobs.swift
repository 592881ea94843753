import AttendanceStore
import NIOConcurrencyHelpers
import Vapor

/// Work a person starts that runs on after their page has answered (the day's letters): each a task the server
/// tracks, recorded in the store as a `Job` so that its page can show how far it has got. At start the server
/// marks jobs a stopped server left unfinished as interrupted, leaving alone those another server sharing the
/// database is running (each running job shows it is alive every `heartbeat`); at shutdown it waits for the
/// running ones.
final class BackgroundJobs: LifecycleHandler, Sendable {
    let store: Store
    private let running = NIOLockedValueBox<[Int: Task<Void, Never>]>([:])

    static let heartbeat: Duration = .seconds(20)

    init(store: Store) {
        self.store = store
    }

    /// Starts `work` for a recorded job; its result or its failure is recorded when it ends, and a failure is
    /// logged by its type only.
    func start(
        _ id: Int, logger: Logger,
        work:
            @escaping @Sendable (_ progress: @escaping @Sendable (Int, Int) async -> Void)
            async throws -> String
    ) {
        let store = store
        // Made and kept under the lock, so that a task that ends at once still finds itself there to remove.
        running.withLockedValue { running in
            running[id] = Task {
                let progress: @Sendable (Int, Int) async -> Void = { done, total in
                    try? await store.jobs.recordProgress(job: id, done: done, total: total)
                }
                // Shows the job is alive while a step takes long (PDFs), until the work ends.
                let heartbeat = Task {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: Self.heartbeat)
                        try? await store.jobs.recordAlive(job: id)
                    }
                }
                defer { heartbeat.cancel() }
                do {
                    let result = try await work(progress)
                    try await store.jobs.finishJob(id, result: result, problem: nil)
                } catch {
                    logger.error("a background job failed: \(String(reflecting: type(of: error)))")
                    try? await store.jobs.finishJob(id, result: nil, problem: String(describing: type(of: error)))
                }
                _ = self.running.withLockedValue { $0.removeValue(forKey: id) }
            }
        }
    }

    /// A database that does not answer at start is not a reason not to start: `/ready` says so, and a job left
    /// running by a stopped server reads as interrupted anyway once it has been silent long enough.
    func didBootAsync(_ application: Application) async throws {
        do {
            try await store.jobs.interruptStoppedJobs()
        } catch {
            application.logger.error(
                "closing jobs a stopped server left failed: \(String(reflecting: type(of: error)))")
        }
    }

    func shutdownAsync(_ application: Application) async {
        for task in running.withLockedValue({ Array($0.values) }) { await task.value }
    }
}

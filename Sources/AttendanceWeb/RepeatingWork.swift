import NIOConcurrencyHelpers
import NIOCore
import Vapor

/// Work the server repeats while it is up (the daily procedure, sending messages): a service of the application's
/// lifecycle, started once the server has booted and cancelled when it shuts down. A failure is logged by its type
/// and the work's name, never with the data it was about.
final class RepeatingWork: LifecycleHandler, Sendable {
    let name: String
    let initialDelay: TimeAmount
    let delay: TimeAmount
    let work: @Sendable (Application) async throws -> Void
    private let task = NIOLockedValueBox<RepeatedTask?>(nil)

    init(
        _ name: String, initialDelay: TimeAmount, every delay: TimeAmount,
        work: @escaping @Sendable (Application) async throws -> Void
    ) {
        self.name = name
        self.initialDelay = initialDelay
        self.delay = delay
        self.work = work
    }

    func didBootAsync(_ application: Application) async throws {
        let logger = application.logger
        let name = name
        let work = work
        let repeated = application.eventLoopGroup.any().scheduleRepeatedAsyncTask(
            initialDelay: initialDelay, delay: delay
        ) { _ in
            application.eventLoopGroup.any().makeFutureWithTask {
                do {
                    try await work(application)
                } catch {
                    logger.error("\(name) failed: \(String(reflecting: type(of: error)))")
                }
            }
        }
        task.withLockedValue { $0 = repeated }
    }

    func shutdownAsync(_ application: Application) async {
        task.withLockedValue { task in
            task?.cancel()
            task = nil
        }
    }
}

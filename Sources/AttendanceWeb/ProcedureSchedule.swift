import AttendanceCore
import AttendanceStore
import Foundation
import Vapor

/// Runs the procedure once each day at the configured time, while the server is up.
struct ProcedureSchedule: LifecycleHandler {
    let store: Store
    let policy: Policy
    let at: TimeOfDay

    actor LastRun {
        var day: LocalDate?
        func claim(_ today: LocalDate) -> Bool {
            guard day != today else { return false }
            day = today
            return true
        }
    }

    func didBootAsync(_ application: Application) async throws {
        let last = LastRun()
        let store = store, policy = policy, at = at, logger = application.logger
        application.eventLoopGroup.any().scheduleRepeatedAsyncTask(initialDelay: .seconds(30), delay: .seconds(60)) {
            _ in
            application.eventLoopGroup.any().makeFutureWithTask {
                let now = application.context.now
                guard now.time >= at, await last.claim(now.date) else { return }
                do {
                    let result = try await store.runProcedure(
                        policy: policy, asOf: now.date, dryRun: false, schoolDaysOnly: true)
                    logger.notice(
                        "procedure ran for \(now.date): \(result.recorded) recorded, \(result.withdrawn) withdrawn")
                } catch {
                    logger.error("the daily procedure run failed: \(String(reflecting: type(of: error)))")
                }
            }
        }
    }
}

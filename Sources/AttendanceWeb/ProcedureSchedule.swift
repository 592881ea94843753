import AttendanceCore
import AttendanceStore
import Foundation
import Vapor

/// Runs the procedure once each school day at the configured time, while the server is up.
enum ProcedureSchedule {
    actor LastRun {
        var day: LocalDate?
        func claim(_ today: LocalDate) -> Bool {
            guard day != today else { return false }
            day = today
            return true
        }
    }

    static func work(store: Store, policy: Policy, at: TimeOfDay) -> RepeatingWork {
        let last = LastRun()
        return RepeatingWork("the daily procedure run", initialDelay: .seconds(30), every: .seconds(60)) { app in
            let now = app.context.now
            guard now.time >= at, await last.claim(now.date) else { return }
            let result = try await store.procedure.runProcedure(
                policy: policy, asOf: now.date, dryRun: false, schoolDaysOnly: true)
            app.logger.notice(
                "procedure ran for \(now.date): \(result.recorded) recorded, \(result.withdrawn) withdrawn")
            // Penalty notices move on by their days the same evening (unpaid after day 42).
            let lapsed = try await store.penalties.runPenaltyNotices(asOf: now.date, policy: policy)
            app.logger.notice("penalty notices run for \(now.date): \(lapsed) unpaid")
        }
    }
}

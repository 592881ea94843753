import AttendanceCore
import AttendanceStore
import Foundation
import Vapor

/// Runs the procedure (then the penalty notices' days and the data check) once each school day at the configured
/// time, while the server is up; at start, first catches up a school whose last run is older than the day the run
/// last fell due.
enum ProcedureSchedule {
    actor LastRun {
        var day: LocalDate?
        var caughtUp = false
        func claim(_ today: LocalDate) -> Bool {
            guard day != today else { return false }
            day = today
            return true
        }
        /// True the first time only.
        func claimCatchUp() -> Bool {
            defer { caughtUp = true }
            return !caughtUp
        }
    }

    /// The day the daily run last fell due at `now`: today once its time has passed, else yesterday.
    static func lastDue(at now: (date: LocalDate, time: TimeOfDay), runAt: TimeOfDay) -> LocalDate {
        now.time >= runAt ? now.date : now.date.adding(days: -1)
    }

    /// Catches the procedure up to the day it last fell due (see `ProcedureRepository.catchUp`).
    static func catchUp(
        store: Store, policy: Policy, now: (date: LocalDate, time: TimeOfDay), runAt: TimeOfDay
    ) async throws
        -> ProcedureRunResult
    {
        try await store.procedure.catchUp(policy: policy, through: lastDue(at: now, runAt: runAt))
    }

    static func work(store: Store, policy: Policy, at: TimeOfDay) -> RepeatingWork {
        let last = LastRun()
        return RepeatingWork("the daily procedure run", initialDelay: .seconds(1), every: .seconds(60)) { app in
            let now = app.context.now
            if await last.claimCatchUp() {
                let result = try await catchUp(store: store, policy: policy, now: now, runAt: at)
                app.logger.notice("procedure caught up at start: \(result.recorded) recorded")
            }
            guard now.time >= at, await last.claim(now.date) else { return }
            let result = try await store.procedure.runProcedure(
                policy: policy, asOf: now.date, dryRun: false, schoolDaysOnly: true)
            app.logger.notice(
                "procedure ran for \(now.date): \(result.recorded) recorded, \(result.withdrawn) withdrawn")
            // Penalty notices move on by their days the same evening (unpaid after day 42).
            let lapsed = try await store.penalties.runPenaltyNotices(asOf: now.date, policy: policy)
            app.logger.notice("penalty notices run for \(now.date): \(lapsed) unpaid")
            // The data check, so every report the next morning says how the record stood.
            var problems = 0
            for school in try await store.reference.schools() {
                problems += try await store.registers.checkData(
                    school.school.laestab, today: now.date, noMarksSchoolDays: policy.casework.noMarksSchoolDays,
                    by: .system
                ).problems.count
            }
            app.logger.notice("data check run for \(now.date): \(problems) problems")
        }
    }
}

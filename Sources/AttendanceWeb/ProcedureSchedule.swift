import AttendanceCore
import AttendanceStore
import Foundation
import Vapor

/// Runs the procedure (then the penalty notices' days and the data check) once each school day at the configured
/// time, while the server is up; at start, first catches up a school whose last run is older than the day the run
/// last fell due.
enum ProcedureSchedule {
    /// What this server knows of the day's run: the day it last saw done, and whether it has caught up.
    actor LastRun {
        var day: LocalDate?
        var caughtUp = false
        func done(_ day: LocalDate) { self.day = day }
        func markCaughtUp() { caughtUp = true }
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

    /// Every minute: once at start, the catch-up; then, once the day's time has passed, the day's run. Servers
    /// sharing a database take the work's lock (`OperationsRepository.exclusively`), so one of them does it and the
    /// other, a minute later, finds it done.
    static func work(store: Store, policy: Policy, at: TimeOfDay, server: String, metrics: ServerMetrics)
        -> RepeatingWork
    {
        let last = LastRun()
        return RepeatingWork("the daily procedure run", initialDelay: .seconds(1), every: .seconds(60)) { app in
            let now = app.context.now
            if await !last.caughtUp {
                let result = try await store.operations.exclusively(.dailyRun) {
                    try await catchUp(store: store, policy: policy, now: now, runAt: at)
                }
                if let result {
                    await last.markCaughtUp()
                    app.logger.notice("procedure caught up at start: \(result.recorded) recorded")
                }
            }
            guard now.time >= at, await last.day != now.date else { return }
            let outcome = try await runDay(
                store: store, policy: policy, day: now.date, server: server, logger: app.logger, metrics: metrics)
            if outcome != .busy { await last.done(now.date) }
        }
    }

    /// The day's run (the procedure, then the penalty notices' days and the data check), done once for the day by
    /// whichever server sharing the database gets there first.
    static func runDay(
        store: Store, policy: Policy, day: LocalDate, server: String, logger: Logger, metrics: ServerMetrics? = nil
    ) async throws -> SharedWorkOutcome {
        try await store.operations.onceADay(.dailyRun, day: day, server: server) {
            let started = ContinuousClock.now
            // Each school not yet run for its last school day (a catch-up at start may have done some already
            // today: a school is run once a day, whichever got there first).
            let result = try await store.procedure.catchUp(policy: policy, through: day)
            logger.notice("procedure ran for \(day): \(result.recorded) recorded, \(result.withdrawn) withdrawn")
            // Penalty notices move on by their days the same evening (unpaid after day 42).
            let lapsed = try await store.penalties.runPenaltyNotices(asOf: day, policy: policy)
            logger.notice("penalty notices run for \(day): \(lapsed) unpaid")
            // The data check, so every report the next morning says how the record stood.
            var problems = 0
            for school in try await store.reference.schools() {
                problems += try await store.registers.checkData(
                    school.school.laestab, today: day, noMarksSchoolDays: policy.casework.noMarksSchoolDays,
                    by: .system
                ).problems.count
            }
            logger.notice("data check run for \(day): \(problems) problems")
            metrics?.dailyRun(took: ContinuousClock.now - started, recorded: result.recorded)
        }
    }
}

import AttendanceCore
import AttendanceLetters
import AttendanceStore
import Foundation
import Vapor

/// A case's Attendance Improvement Plan: starting it, the weekly reviews and its outcome.
extension EswController {
    @Sendable static func startPlan(_ request: Request) async throws -> Response {
        let (laestab, id) = try caseTarget(request)
        let form: EswForms.StartPlan
        do { form = try request.form(EswForms.StartPlan.self) } catch let error as FormRefusal {
            return try await refuse(request, "plan.badForm", error)
        }
        return try await step(request, back: (laestab, id)) {
            try await requireCase(request, id, at: laestab, newWork: true)
            _ = try await request.context.store.esw.startImprovementPlan(
                case: id, start: form.start, targetPercent: form.target, schoolActions: form.schoolActions,
                familyActions: form.familyActions, pupilActions: form.pupilActions, by: request.actor)
        }
    }

    @Sendable static func reviewPlan(_ request: Request) async throws -> Response {
        let (laestab, id) = try caseTarget(request)
        let form: EswForms.ReviewPlan
        do { form = try request.form(EswForms.ReviewPlan.self) } catch let error as FormRefusal {
            return try await refuse(request, "error.badRequest", error)
        }
        return try await step(request, back: (laestab, id)) {
            let plan = try await currentPlan(request, school: laestab, case: id)
            _ = try await request.context.store.esw.reviewImprovementPlan(
                plan.id, week: form.week, note: form.note, today: request.context.today, by: request.actor)
        }
    }

    @Sendable static func endPlan(_ request: Request) async throws -> Response {
        let (laestab, id) = try caseTarget(request)
        let form: EswForms.EndPlan
        do { form = try request.form(EswForms.EndPlan.self) } catch let error as FormRefusal {
            return try await refuse(request, "error.badRequest", error)
        }
        return try await step(request, back: (laestab, id)) {
            let plan = try await currentPlan(request, school: laestab, case: id)
            _ = try await request.context.store.esw.endImprovementPlan(
                plan.id, outcome: form.outcome, next: form.next, today: request.context.today, by: request.actor)
        }
    }

    /// The case's latest plan, the one reviews and the outcome are for.
    static func currentPlan(_ request: Request, school laestab: LAESTAB, case id: EswCaseID) async throws
        -> ImprovementPlan
    {
        try await requireCase(request, id, at: laestab, newWork: true)
        guard try await request.context.store.esw.requireEswCase(id).school == laestab,
            let plan = try await request.context.store.esw.improvementPlans(case: id).last
        else { throw Abort(.notFound) }
        return plan
    }

    static func problemValues(_ problem: EswRules.PlanProblem, text: DateText.Text) -> [String: String] {
        switch problem {
        case .notAWeekToReview(let week): ["week": String(week)]
        case .notEnded(let end): ["end": DateText.day(end, text)]
        case .notNow, .badTarget: [:]
        }
    }
}

import AttendanceCore
import Foundation
import SQLKit

extension EswRepository {
    /// Starts a six-week plan on an allocated case, with its target and what the school, the family and the
    /// pupil will do. One plan at a time: a new one only once the last has its outcome.
    public func startImprovementPlan(
        case id: EswCaseID, start: LocalDate, targetPercent: Int, schoolActions: String, familyActions: String,
        pupilActions: String, by actor: AuditActor, at now: Date = Date()
    ) async throws -> ImprovementPlan {
        let found = try await requireEswCase(id)
        guard found.status == .allocated,
            try await improvementPlans(case: id).allSatisfy({ $0.outcome != nil })
        else { throw StoreError.eswPlan(.notNow) }
        guard (1...100).contains(targetPercent) else { throw StoreError.eswPlan(.badTarget) }
        let planID = try await store.transaction { db in
            guard
                let planID = try await db.insert(into: "improvement_plans")
                    .columns(
                        "case_id", "start", "target_percent", "school_actions", "family_actions", "pupil_actions",
                        "created_by", "created_at"
                    )
                    .values(
                        SQLBind(id.rawValue), SQLBind(start.iso), SQLBind(targetPercent), SQLBind(schoolActions),
                        SQLBind(familyActions), SQLBind(pupilActions), SQLBind(actor.name),
                        SQLBind(Timestamp.text(now))
                    ).returning("id").first(decodingColumn: "id", as: Int.self)
            else { throw StoreError.corrupt("an improvement plan with no id") }
            try await Store.audit(
                [
                    AuditEvent(
                        at: now, actor: actor, action: "esw.plan", school: found.school, upn: found.upn,
                        subject: "esw/\(id)",
                        after: auditJSON(["start": start.iso, "target_percent": String(targetPercent)]))
                ], on: db)
            return planID
        }
        return try await requireImprovementPlan(planID)
    }

    /// A week's review: the week's attendance computed from the register now, kept with the note.
    public func reviewImprovementPlan(
        _ planID: Int, week: Int, note: String, today: LocalDate, by actor: AuditActor, at now: Date = Date()
    ) async throws -> ImprovementPlan {
        let plan = try await requireImprovementPlan(planID)
        do { try EswRules.checkReview(plan, week: week, today: today) } catch { throw StoreError.eswPlan(error) }
        let found = try await requireEswCase(plan.caseID)
        guard let days = plan.week(week) else { throw StoreError.eswPlan(.notAWeekToReview(week)) }
        let (_, summary) = try await store.registers.summary(of: found.upn, in: days)
        try await store.transaction { db in
            try await db.insert(into: "plan_reviews")
                .columns("plan_id", "week", "possible", "attended", "percent", "note", "by", "at")
                .values(
                    SQLBind(planID), SQLBind(week), SQLBind(summary.possible), SQLBind(summary.attended),
                    SQLBind(summary.attendancePercentText), SQLBind(note), SQLBind(actor.name),
                    SQLBind(Timestamp.text(now))
                ).run()
            try await Store.audit(
                [
                    AuditEvent(
                        at: now, actor: actor, action: "esw.review", school: found.school, upn: found.upn,
                        subject: "esw/\(found.id)",
                        after: auditJSON(["week": String(week), "attendance": summary.attendancePercentText]),
                        reason: note)
                ], on: db)
        }
        return try await requireImprovementPlan(planID)
    }

    /// The plan's outcome and next step, once its six weeks are over.
    public func endImprovementPlan(
        _ planID: Int, outcome: PlanOutcome, next: PlanNextStep, today: LocalDate, by actor: AuditActor,
        at now: Date = Date()
    ) async throws -> ImprovementPlan {
        let plan = try await requireImprovementPlan(planID)
        do { try EswRules.checkOutcome(plan, today: today) } catch { throw StoreError.eswPlan(error) }
        let found = try await requireEswCase(plan.caseID)
        try await store.transaction { db in
            try await db.update("improvement_plans").set("outcome", to: outcome.rawValue)
                .set("next_step", to: next.rawValue).where("id", .equal, planID).where("outcome", .is, SQLLiteral.null)
                .run()
            try await Store.audit(
                [
                    AuditEvent(
                        at: now, actor: actor, action: "esw.planOutcome", school: found.school, upn: found.upn,
                        subject: "esw/\(found.id)",
                        after: auditJSON(["plan_outcome": outcome.rawValue, "plan_next": next.rawValue]))
                ], on: db)
        }
        return try await requireImprovementPlan(planID)
    }

    /// A case's plans, oldest first, with their reviews.
    public func improvementPlans(case id: EswCaseID) async throws -> [ImprovementPlan] {
        try await improvementPlans(where: "p.case_id = \(bind: id.rawValue)")
    }

    public func requireImprovementPlan(_ id: Int) async throws -> ImprovementPlan {
        guard let plan = try await improvementPlans(where: "p.id = \(bind: id)").first else {
            throw StoreError.notFound("improvement plan \(id)")
        }
        return plan
    }

    private func improvementPlans(where condition: SQLQueryString) async throws -> [ImprovementPlan] {
        let rows = try await store.sql.raw(
            "SELECT p.*, s.laestab FROM improvement_plans p JOIN esw_cases c ON c.id = p.case_id "
                + "JOIN schools s ON s.id = c.school_id WHERE " + condition + " ORDER BY p.id"
        ).all()
        guard !rows.isEmpty else { return [] }
        var reviews: [Int: [PlanReview]] = [:]
        for row in try await store.sql.raw(
            "SELECT r.* FROM plan_reviews r WHERE r.plan_id IN (SELECT p.id FROM improvement_plans p WHERE "
                + condition + ") ORDER BY r.week"
        ).all() {
            reviews[try row.decode(column: "plan_id", as: Int.self), default: []].append(
                PlanReview(
                    week: try row.decode(column: "week", as: Int.self),
                    possible: try row.decode(column: "possible", as: Int.self),
                    attended: try row.decode(column: "attended", as: Int.self),
                    percent: try row.decode(column: "percent", as: String.self),
                    note: try row.decode(column: "note", as: String.self),
                    by: try row.decode(column: "by", as: String.self), at: try row.decode(column: "at", as: String.self)
                )
            )
        }
        // Each school's calendar, for the plan's school weeks.
        var calendars: [String: SchoolCalendar] = [:]
        for laestab in Set(try rows.map { try $0.decode(column: "laestab", as: String.self) }) {
            guard let school = LAESTAB(text: laestab) else { continue }
            calendars[laestab] = try await store.reference.calendar(
                for: try await store.reference.requireSchool(school).school)
        }
        return try rows.map { row in
            let id = try row.decode(column: "id", as: Int.self)
            guard let start = LocalDate(iso: try row.decode(column: "start", as: String.self)) else {
                throw StoreError.corrupt("an improvement plan with no start")
            }
            return ImprovementPlan(
                id: id, caseID: EswCaseID(try row.decode(column: "case_id", as: Int.self)), start: start,
                targetPercent: try row.decode(column: "target_percent", as: Int.self),
                schoolActions: try row.decode(column: "school_actions", as: String.self),
                familyActions: try row.decode(column: "family_actions", as: String.self),
                pupilActions: try row.decode(column: "pupil_actions", as: String.self),
                createdBy: try row.decode(column: "created_by", as: String.self), reviews: reviews[id] ?? [],
                outcome: try row.decode(column: "outcome", as: String?.self).flatMap(PlanOutcome.init(rawValue:)),
                nextStep: try row.decode(column: "next_step", as: String?.self).flatMap(PlanNextStep.init(rawValue:)),
                calendar: calendars[try row.decode(column: "laestab", as: String.self)])
        }
    }
}

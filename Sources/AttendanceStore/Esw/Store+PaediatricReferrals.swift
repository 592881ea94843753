import AttendanceCore
import Foundation
import SQLKit

extension MedicalRepository {
    /// The medical absence a referral to the Community Paediatrician could rest on: the day Letter 3 was sent this
    /// school year (the procedure's record) with the illness and medical sessions since, and the year's illness and
    /// medical sessions against the sessions possible.
    public func medicalStanding(_ upn: UPN, school laestab: LAESTAB, today: LocalDate) async throws
        -> MedicalReferralRules.Standing
    {
        let year = DateRange.yearToDate(today)
        let marks = try await store.registers.marks(of: upn, in: year)
        let medical = marks.filter { store.codes[$0.mark.code].map(MedicalReferralRules.isMedical) == true }
        let letter3 = try await letter3Sent(upn: upn, school: laestab, year: today.academicYear)
        let (_, summary) = try await store.registers.summary(of: upn, in: year)
        return MedicalReferralRules.Standing(
            letter3On: letter3,
            sinceLetter3: letter3.map { sent in medical.filter { $0.mark.session.date > sent }.count } ?? 0,
            thisYear: medical.count, possible: summary.possible)
    }

    /// Refers a pupil to the Community Paediatrician on the ground the record shows (after Letter 3 with medical
    /// absence since, or the year's illness and medical sessions over the policy's share), keeping what it showed.
    public func referToPaediatrician(
        _ upn: UPN, school laestab: LAESTAB, reason: String, today: LocalDate, sharePercent: Int,
        by actor: AuditActor, at now: Date = Date()
    ) async throws -> PaediatricReferral {
        let pupil = try await store.reference.requirePupil(upn)
        let school = try await store.reference.requireSchool(laestab)
        let standing = try await medicalStanding(upn, school: laestab, today: today)
        let waiting = try await paediatricReferrals(of: upn).contains { $0.school == laestab && $0.outcome == nil }
        let ground: MedicalReferralRules.Ground
        do {
            ground = try MedicalReferralRules.checkReferral(standing, sharePercent: sharePercent, waiting: waiting)
        } catch { throw StoreError.medical(error) }
        let letter3 = ground == .afterLetter3 ? standing.letter3On : nil
        let sessions = ground == .afterLetter3 ? standing.sinceLetter3 : standing.thisYear
        let id = try await store.transaction { db in
            guard
                let id = try await db.insert(into: "paediatric_referrals")
                    .columns(
                        "pupil_id", "school_id", "referred_on", "referred_by", "reason", "letter3_on",
                        "medical_sessions", "ground"
                    )
                    .values(
                        SQLBind(pupil.id), SQLBind(school.id), SQLBind(today.iso), SQLBind(actor.name),
                        SQLBind(reason), SQLBind(letter3?.iso ?? ""), SQLBind(sessions), SQLBind(ground.rawValue)
                    ).returning("id").first(decodingColumn: "id", as: Int.self)
            else { throw StoreError.corrupt("a paediatric referral with no id") }
            try await Store.audit(
                [
                    AuditEvent(
                        at: now, actor: actor, action: "medical.refer", school: laestab, upn: upn,
                        subject: "paediatric/\(id)",
                        after: auditJSON([
                            "ground": ground.rawValue, "letter3_on": letter3?.iso, "medical_sessions": String(sessions),
                        ]))
                ], on: db)
            return id
        }
        return try await requirePaediatricReferral(id)
    }

    /// Records the assessment's outcome, once.
    public func recordPaediatricOutcome(
        _ id: Int, outcome: PaediatricOutcome, note: String, on day: LocalDate, today: LocalDate, by actor: AuditActor,
        at now: Date = Date()
    ) async throws -> PaediatricReferral {
        let referral = try await requirePaediatricReferral(id)
        do { try MedicalReferralRules.checkOutcome(referral, on: day, today: today) } catch {
            throw StoreError.medical(error)
        }
        try await store.transaction { db in
            // Only while no outcome is recorded: two people recording at once cannot both write.
            let changed = try await db.raw(
                """
                UPDATE paediatric_referrals SET outcome = \(bind: outcome.rawValue), outcome_on = \(bind: day.iso),
                outcome_note = \(bind: note), outcome_by = \(bind: actor.name)
                WHERE id = \(bind: id) AND outcome IS NULL RETURNING id
                """
            ).all()
            guard !changed.isEmpty else { throw StoreError.medical(.outcomeNotNow) }
            try await Store.audit(
                [
                    AuditEvent(
                        at: now, actor: actor, action: "medical.outcome", school: referral.school, upn: referral.upn,
                        subject: "paediatric/\(id)", after: auditJSON(["outcome": outcome.rawValue, "on": day.iso]))
                ], on: db)
        }
        return try await requirePaediatricReferral(id)
    }

    /// Records a reintegration plan agreed after a referral (kept as recorded).
    public func recordReintegrationPlan(
        referral id: Int, startsOn: LocalDate, reviewOn: LocalDate, arrangements: String, agreedWith: String,
        by actor: AuditActor, at now: Date = Date()
    ) async throws -> PaediatricReferral {
        let referral = try await requirePaediatricReferral(id)
        do {
            try MedicalReferralRules.checkPlan(
                startsOn: startsOn, reviewOn: reviewOn, arrangements: arrangements, agreedWith: agreedWith)
        } catch { throw StoreError.medical(error) }
        try await store.transaction { db in
            try await db.insert(into: "reintegration_plans")
                .columns(
                    "referral_id", "starts_on", "review_on", "arrangements", "agreed_with", "recorded_by", "recorded_at"
                )
                .values(
                    SQLBind(id), SQLBind(startsOn.iso), SQLBind(reviewOn.iso), SQLBind(arrangements),
                    SQLBind(agreedWith), SQLBind(actor.name), SQLBind(Timestamp.text(now))
                ).run()
            try await Store.audit(
                [
                    AuditEvent(
                        at: now, actor: actor, action: "medical.plan", school: referral.school, upn: referral.upn,
                        subject: "paediatric/\(id)",
                        after: auditJSON(["starts_on": startsOn.iso, "review_on": reviewOn.iso]))
                ], on: db)
        }
        return try await requirePaediatricReferral(id)
    }

    /// A pupil's referrals, newest first, with their plans.
    public func paediatricReferrals(of upn: UPN) async throws -> [PaediatricReferral] {
        try await paediatricReferrals(where: "p.upn = \(bind: upn.value)")
    }

    public func requirePaediatricReferral(_ id: Int) async throws -> PaediatricReferral {
        guard let found = try await paediatricReferrals(where: "r.id = \(bind: id)").first else {
            throw StoreError.notFound("paediatric referral \(id)")
        }
        return found
    }

    private func paediatricReferrals(where condition: SQLQueryString) async throws -> [PaediatricReferral] {
        let from: SQLQueryString = """
            FROM paediatric_referrals r JOIN pupils p ON p.id = r.pupil_id JOIN schools s ON s.id = r.school_id
            """
        let rows = try await store.sql.raw(
            "SELECT r.*, p.upn, s.laestab " + from + " WHERE " + condition + " ORDER BY r.id DESC"
        ).all()
        guard !rows.isEmpty else { return [] }
        var plans: [Int: [ReintegrationPlan]] = [:]
        for row in try await store.sql.raw(
            "SELECT * FROM reintegration_plans WHERE referral_id IN (SELECT r.id " + from + " WHERE " + condition
                + ") ORDER BY id"
        ).all() {
            guard let starts = LocalDate(iso: try row.decode(column: "starts_on", as: String.self)),
                let review = LocalDate(iso: try row.decode(column: "review_on", as: String.self))
            else { throw StoreError.corrupt("a reintegration plan that cannot be read") }
            plans[try row.decode(column: "referral_id", as: Int.self), default: []].append(
                ReintegrationPlan(
                    id: try row.decode(column: "id", as: Int.self), startsOn: starts, reviewOn: review,
                    arrangements: try row.decode(column: "arrangements", as: String.self),
                    agreedWith: try row.decode(column: "agreed_with", as: String.self),
                    recordedBy: try row.decode(column: "recorded_by", as: String.self)))
        }
        return try rows.map { row in
            let id = try row.decode(column: "id", as: Int.self)
            guard let laestab = LAESTAB(text: try row.decode(column: "laestab", as: String.self)),
                let referredOn = LocalDate(iso: try row.decode(column: "referred_on", as: String.self))
            else { throw StoreError.corrupt("a paediatric referral that cannot be read") }
            // Empty on a referral made on the share of the year's sessions, before Letter 3.
            let letter3 = LocalDate(iso: try row.decode(column: "letter3_on", as: String.self))
            return PaediatricReferral(
                id: id, upn: try UPN(try row.decode(column: "upn", as: String.self)), school: laestab,
                referredOn: referredOn, referredBy: try row.decode(column: "referred_by", as: String.self),
                reason: try row.decode(column: "reason", as: String.self), letter3On: letter3,
                medicalSessions: try row.decode(column: "medical_sessions", as: Int.self),
                outcome: try row.decode(column: "outcome", as: String?.self).flatMap(PaediatricOutcome.init(rawValue:)),
                outcomeOn: try row.decode(column: "outcome_on", as: String?.self).flatMap { LocalDate(iso: $0) },
                outcomeNote: try row.decode(column: "outcome_note", as: String?.self), plans: plans[id] ?? [])
        }
    }
}

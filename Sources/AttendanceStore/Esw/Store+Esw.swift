import AttendanceCore
import Foundation
import SQLKit

extension EswRepository {
    /// A school's referral of a pupil to the ESW service, into the authority's inbox. A pupil has one open case:
    /// referring again while one is open gives that case.
    public func referToEsw(
        _ upn: UPN, school laestab: LAESTAB, source: EswReferralSource, notes: String, concerns: String,
        on day: LocalDate, by actor: AuditActor, at now: Date = Date()
    ) async throws -> EswCase {
        let pupil = try await store.reference.requirePupil(upn)
        let school = try await store.reference.requireSchool(laestab)
        let id = try await store.transaction { db in
            try await Self.openEswReferral(
                pupilID: pupil.id, schoolID: school.id, upn: upn, school: laestab, source: source, notes: notes,
                concerns: concerns, on: day, by: actor, at: now, on: db)
        }
        return try await requireEswCase(EswCaseID(id))
    }

    /// Opens a referral in the caller's transaction (a referral letter kept, the procedure's referral done), or
    /// finds the pupil's open case.
    static func openEswReferral(
        pupilID: Int, schoolID: Int, upn: UPN, school laestab: LAESTAB, source: EswReferralSource, notes: String,
        concerns: String, on day: LocalDate, by actor: AuditActor, at now: Date, on db: any SQLDatabase
    ) async throws -> Int {
        if let open = try await db.raw(
            """
            SELECT id FROM esw_cases WHERE pupil_id = \(bind: pupilID)
            AND status IN (\(bind: EswCaseStatus.referred.rawValue), \(bind: EswCaseStatus.allocated.rawValue))
            """
        ).first(decodingColumn: "id", as: Int.self) {
            return open
        }
        let at = Timestamp.text(now)
        guard
            let id = try await db.insert(into: "esw_cases")
                .columns(
                    "pupil_id", "school_id", "status", "source", "referred_on", "referred_by", "notes", "concerns"
                )
                .values(
                    SQLBind(pupilID), SQLBind(schoolID), SQLBind(EswCaseStatus.referred.rawValue),
                    SQLBind(source.rawValue), SQLBind(day.iso), SQLBind(actor.name), SQLBind(notes), SQLBind(concerns)
                ).returning("id").first(decodingColumn: "id", as: Int.self)
        else { throw StoreError.corrupt("an ESW case with no id") }
        try await eswEvent(
            "refer", case: EswCaseID(id), reason: nil, data: ["source": source.rawValue], by: actor, at: at, on: db)
        try await Store.audit(
            [
                AuditEvent(
                    at: now, actor: actor, action: "esw.refer", school: laestab, upn: upn, subject: "esw/\(id)",
                    after: auditJSON(["source": source.rawValue]))
            ], on: db)
        return id
    }

    /// The Education Lead allocates a referral to an ESW who works at the pupil's school.
    public func allocateEswCase(_ id: EswCaseID, to email: String, by actor: AuditActor, at now: Date = Date())
        async throws -> EswCase
    {
        let found = try await requireEswCase(id)
        let next = try eswStep(.allocate, found.status)
        guard try await eswWorkers(at: found.school).contains(where: { $0.email == email }) else {
            throw StoreError.esw(.notTheSchoolsEsw)
        }
        try await recordEswStep(found, to: next, step: "allocate", reason: nil, data: ["to": email], by: actor, at: now)
        { update in update.set("allocated_to", to: email) }
        return try await requireEswCase(id)
    }

    /// Returns a referral to the school, with the reason (for example the school's own steps not yet taken).
    public func returnEswCase(_ id: EswCaseID, reason: String, by actor: AuditActor, at now: Date = Date()) async throws
        -> EswCase
    {
        let found = try await requireEswCase(id)
        let next = try eswStep(.return, found.status)
        guard !reason.isEmpty else { throw StoreError.esw(.noReason) }
        try await recordEswStep(found, to: next, step: "return", reason: reason, data: [:], by: actor, at: now)
        return try await requireEswCase(id)
    }

    /// A home visit, call, meeting or note in an allocated case's log, with its outcome and the next step.
    public func logEswEntry(
        _ id: EswCaseID, kind: EswEntryKind, on day: LocalDate, with who: String, outcome: String, nextStep: String?,
        nextStepOn: LocalDate?, by actor: AuditActor, at now: Date = Date()
    ) async throws -> EswCase {
        let found = try await requireEswCase(id)
        let next = try eswStep(.log, found.status)
        if let nextStepOn, nextStepOn < day { throw StoreError.esw(.nextStepBeforeEntry) }
        var data = ["kind": kind.rawValue, "on": day.iso, "with": who, "outcome": outcome]
        if let nextStep { data["next_step"] = nextStep }
        if let nextStepOn { data["next_step_on"] = nextStepOn.iso }
        try await recordEswStep(found, to: next, step: "log", reason: nil, data: data, by: actor, at: now) { update in
            update.set("next_step", to: nextStep).set("next_step_on", to: nextStepOn?.iso)
        }
        return try await requireEswCase(id)
    }

    /// Closes an allocated case with its outcome and a note.
    public func closeEswCase(
        _ id: EswCaseID, outcome: EswOutcome, reason: String, by actor: AuditActor, at now: Date = Date()
    ) async throws -> EswCase {
        let found = try await requireEswCase(id)
        let next = try eswStep(.close, found.status)
        guard !reason.isEmpty else { throw StoreError.esw(.noReason) }
        try await recordEswStep(
            found, to: next, step: "close", reason: reason, data: ["outcome": outcome.rawValue], by: actor, at: now
        ) { update in update.set("next_step", to: String?.none).set("next_step_on", to: String?.none) }
        return try await requireEswCase(id)
    }

    /// Active users with an ESW role at a school: whom its referrals may be allocated to.
    public func eswWorkers(at school: LAESTAB) async throws -> [UserAccount] {
        try await eswWorkers()[school] ?? []
    }

    /// The same for every school at once, by school.
    public func eswWorkers() async throws -> [LAESTAB: [UserAccount]] {
        var workers: [LAESTAB: [UserAccount]] = [:]
        for user in try await store.identity.users() where user.isActive {
            for grant in user.grants where grant.role == .educationSocialWorker {
                if let school = grant.school { workers[school, default: []].append(user) }
            }
        }
        return workers
    }

    /// Cases at some schools (every school when nil), newest first.
    public func eswCases(schools: Set<LAESTAB>?) async throws -> [EswCase] {
        guard let schools else { return try await eswCases(where: "1 = 1") }
        guard !schools.isEmpty else { return [] }
        return try await eswCases(where: "s.laestab IN (\(binds: schools.map(\.description).sorted()))")
    }

    /// A pupil's cases, newest first.
    public func eswCases(of upn: UPN) async throws -> [EswCase] {
        try await eswCases(where: "p.upn = \(bind: upn.value)")
    }

    public func requireEswCase(_ id: EswCaseID) async throws -> EswCase {
        guard let found = try await eswCases(where: "c.id = \(bind: id.rawValue)").first else {
            throw StoreError.notFound("ESW case \(id)")
        }
        return found
    }

    // MARK: - Recording

    private func eswStep(_ step: EswRules.Step, _ status: EswCaseStatus) throws -> EswCaseStatus {
        do { return try EswRules.apply(step, to: status) } catch { throw StoreError.esw(error) }
    }

    private func recordEswStep(
        _ found: EswCase, to next: EswCaseStatus, step: String, reason: String?, data: [String: String],
        by actor: AuditActor, at now: Date,
        also: @escaping @Sendable (SQLUpdateBuilder) -> SQLUpdateBuilder = { $0 }
    ) async throws {
        let at = Timestamp.text(now)
        try await store.transaction { db in
            try await also(db.update("esw_cases").set("status", to: next.rawValue))
                .where("id", .equal, found.id.rawValue).where("status", .equal, found.status.rawValue).changeStanding()
            try await Self.eswEvent(step, case: found.id, reason: reason, data: data, by: actor, at: at, on: db)
            try await Store.audit(
                [
                    AuditEvent(
                        at: now, actor: actor, action: "esw.\(step)", school: found.school, upn: found.upn,
                        subject: "esw/\(found.id)", after: data.isEmpty ? nil : auditJSON(data), reason: reason)
                ], on: db)
        }
    }

    static func eswEvent(
        _ step: String, case id: EswCaseID, reason: String?, data: [String: String], by actor: AuditActor, at: String,
        on db: any SQLDatabase
    ) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        try await db.insert(into: "esw_events").columns("case_id", "step", "at", "by", "reason", "data")
            .values(
                SQLBind(id.rawValue), SQLBind(step), SQLBind(at), SQLBind(actor.name), SQLBind(reason),
                SQLBind(String(decoding: try encoder.encode(data), as: UTF8.self))
            ).run()
    }

    // MARK: - Reading

    /// Cases matching a condition on `c` (the case), `p` (its pupil) and `s` (its school), with their steps.
    func eswCases(where condition: SQLQueryString) async throws -> [EswCase] {
        let from: SQLQueryString = """
            FROM esw_cases c JOIN pupils p ON p.id = c.pupil_id JOIN schools s ON s.id = c.school_id
            """
        let rows = try await store.sql.raw(
            "SELECT c.*, p.upn, s.laestab " + from + " WHERE " + condition + " ORDER BY c.id DESC"
        )
        .all()
        guard !rows.isEmpty else { return [] }
        var events: [Int: [EswEvent]] = [:]
        for event in try await store.sql.raw(
            "SELECT * FROM esw_events WHERE case_id IN (SELECT c.id " + from + " WHERE " + condition + ") ORDER BY id"
        ).all() {
            let data = try event.decode(column: "data", as: String.self)
            events[try event.decode(column: "case_id", as: Int.self), default: []].append(
                EswEvent(
                    step: try event.decode(column: "step", as: String.self),
                    at: try event.decode(column: "at", as: String.self),
                    by: try event.decode(column: "by", as: String.self),
                    reason: try event.decode(column: "reason", as: String?.self),
                    data: (try? JSONDecoder().decode([String: String].self, from: Data(data.utf8))) ?? [:]))
        }
        return try rows.map { row in
            let id = try row.decode(column: "id", as: Int.self)
            guard let laestab = LAESTAB(text: try row.decode(column: "laestab", as: String.self)),
                let status = EswCaseStatus(rawValue: try row.decode(column: "status", as: String.self)),
                let source = EswReferralSource(rawValue: try row.decode(column: "source", as: String.self)),
                let referredOn = LocalDate(iso: try row.decode(column: "referred_on", as: String.self))
            else { throw StoreError.corrupt("an ESW case that cannot be read") }
            return EswCase(
                id: EswCaseID(id), upn: try UPN(try row.decode(column: "upn", as: String.self)), school: laestab,
                status: status,
                source: source, referredOn: referredOn,
                referredBy: try row.decode(column: "referred_by", as: String.self),
                notes: try row.decode(column: "notes", as: String.self),
                concerns: try row.decode(column: "concerns", as: String.self),
                allocatedTo: try row.decode(column: "allocated_to", as: String?.self),
                nextStep: try row.decode(column: "next_step", as: String?.self),
                nextStepOn: try row.decode(column: "next_step_on", as: String?.self).flatMap { LocalDate(iso: $0) },
                events: events[id] ?? [])
        }
    }
}

import AttendanceCore
import AttendanceInterop
import Foundation
import SQLKit

/// A pupil's Children Missing Education case with the authority: the school's referral, the enquiries made, and
/// how it ended.
public struct MissingEducationCase: Sendable, Hashable {
    public struct Enquiry: Sendable, Hashable {
        public let on: LocalDate
        public let check: String
        public let with: String
        public let result: String
        public let by: String
    }

    public let id: Int
    public let upn: UPN
    public let school: LAESTAB
    public let referredOn: LocalDate
    public let referredBy: String
    public let reason: String
    public let enquiries: [Enquiry]
    public let outcome: MissingEducationOutcome?
    public let outcomeSchool: LAESTAB?
    public let completedOn: LocalDate?
}

/// A deletion from a school's register, as the authority's return lists it.
public struct RollDeletion: Sendable, Hashable {
    public let upn: UPN
    public let school: LAESTAB
    public let offRollOn: LocalDate
    public let ground: RemovalGround?
    public let groundText: String
    public let newSchool: LAESTAB?
    public let recordedBy: String
    public let recordedAt: String
}

extension RollRepository {
    // MARK: - Children Missing Education

    /// A school's referral to the authority's CME officer: one open case per pupil.
    public func referMissingEducation(
        _ upn: UPN, school laestab: LAESTAB, reason: String, on day: LocalDate, by actor: AuditActor,
        at now: Date = Date()
    ) async throws -> MissingEducationCase {
        let pupil = try await store.reference.requirePupil(upn)
        let school = try await store.reference.requireSchool(laestab)
        if let open = try await missingEducationCases(where: "c.pupil_id = \(bind: pupil.id)").first(where: {
            $0.outcome == nil
        }) {
            return open
        }
        let id = try await store.transaction { db in
            guard
                let id = try await db.insert(into: "cme_cases")
                    .columns("pupil_id", "school_id", "referred_on", "referred_by", "reason")
                    .values(
                        SQLBind(pupil.id), SQLBind(school.id), SQLBind(day.iso), SQLBind(actor.name), SQLBind(reason)
                    ).returning("id").first(decodingColumn: "id", as: Int.self)
            else { throw StoreError.corrupt("a CME case with no id") }
            try await Store.audit(
                [
                    AuditEvent(
                        at: now, actor: actor, action: "cme.refer", school: laestab, upn: upn, subject: "cme/\(id)",
                        reason: reason)
                ], on: db)
            return id
        }
        return try await requireMissingEducationCase(id)
    }

    /// An enquiry made (a check, with whom, its result), on an open case.
    public func logMissingEducationEnquiry(
        _ id: Int, on day: LocalDate, check: String, with who: String, result: String, by actor: AuditActor,
        at now: Date = Date()
    ) async throws {
        let found = try await requireMissingEducationCase(id)
        guard found.outcome == nil else { throw StoreError.notPending }
        try await store.transaction { db in
            try await db.insert(into: "cme_enquiries")
                .columns("case_id", "on_day", "check_made", "with_whom", "result", "by", "at")
                .values(
                    SQLBind(id), SQLBind(day.iso), SQLBind(check), SQLBind(who), SQLBind(result), SQLBind(actor.name),
                    SQLBind(Timestamp.text(now))
                ).run()
            try await Store.audit(
                [
                    AuditEvent(
                        at: now, actor: actor, action: "cme.enquiry", school: found.school, upn: found.upn,
                        subject: "cme/\(id)", after: auditJSON(["check": check, "with": who, "result": result]))
                ], on: db)
        }
    }

    /// The case's outcome: the enquiries are complete. Found at a school needs that school's LAESTAB.
    public func completeMissingEducation(
        _ id: Int, outcome: MissingEducationOutcome, school newSchool: LAESTAB?, on day: LocalDate,
        by actor: AuditActor, at now: Date = Date()
    ) async throws {
        let found = try await requireMissingEducationCase(id)
        guard found.outcome == nil else { throw StoreError.notPending }
        if outcome == .foundAtSchool && newSchool == nil { throw StoreError.roll(.newSchoolNeeded) }
        try await store.transaction { db in
            try await db.update("cme_cases").set("outcome", to: outcome.rawValue)
                .set("outcome_laestab", to: newSchool?.description).set("completed_on", to: day.iso)
                .set("completed_by", to: actor.name).where("id", .equal, id).where("outcome", .is, SQLLiteral.null)
                .changeStanding()
            try await Store.audit(
                [
                    AuditEvent(
                        at: now, actor: actor, action: "cme.complete", school: found.school, upn: found.upn,
                        subject: "cme/\(id)",
                        after: auditJSON(["cme_outcome": outcome.rawValue, "laestab": newSchool?.description ?? ""]))
                ], on: db)
        }
    }

    public func missingEducationCases() async throws -> [MissingEducationCase] {
        try await missingEducationCases(where: "1 = 1")
    }

    public func missingEducationCases(of upn: UPN) async throws -> [MissingEducationCase] {
        try await missingEducationCases(where: "p.upn = \(bind: upn.value)")
    }

    public func requireMissingEducationCase(_ id: Int) async throws -> MissingEducationCase {
        guard let found = try await missingEducationCases(where: "c.id = \(bind: id)").first else {
            throw StoreError.notFound("CME case \(id)")
        }
        return found
    }

    /// Whether the pupil's latest CME enquiries are complete (and did not find them back at school).
    func missingEducationEnquiriesComplete(pupilID: Int, on db: any SQLDatabase) async throws -> Bool {
        let outcome =
            try await db.raw(
                "SELECT outcome FROM cme_cases WHERE pupil_id = \(bind: pupilID) ORDER BY id DESC LIMIT 1"
            ).first(decodingColumn: "outcome", as: String?.self) ?? nil
        return outcome.map { $0 != MissingEducationOutcome.returned.rawValue } ?? false
    }

    // MARK: - Taking a pupil off the roll

    /// Takes a pupil off a school's register on a day, with a ground; refused (and nothing written) without one,
    /// without the new school for an admission elsewhere, or with the CME enquiries open where the ground needs
    /// them complete. The deletion goes on the authority's return.
    public func removeFromRoll(
        _ upn: UPN, school laestab: LAESTAB, on day: LocalDate, ground: RemovalGround?, newSchool: LAESTAB?,
        by actor: AuditActor, at now: Date = Date()
    ) async throws {
        let pupil = try await store.reference.requirePupil(upn)
        let school = try await store.reference.requireSchool(laestab)
        var effective = day
        if ground == .extendedAbsence {
            // Only on the head's decision, and from the first day of the absence whatever day is given.
            guard
                let decided = try await store.leave.leaveRequests(of: upn).first(where: {
                    $0.school == laestab && $0.status == .offRoll
                })
            else { throw StoreError.roll(.noExtendedLeaveDecision) }
            effective = decided.dates.start
        }
        let day = effective
        guard
            let enrolment = pupil.enrolments.last(where: {
                $0.school == laestab && $0.onRollTo == nil && $0.onRollFrom <= day
            })
        else { throw StoreError.notFound("a current enrolment of \(upn) at \(laestab)") }
        // The policy: "The Common Transfer File will be sent to the forwarding school once they have been
        // notified." A pupil admitted elsewhere has their file made for the new school; one who may be missing
        // education has it made with the destination unknown, held for the authority's CME process. Made from the
        // record as it stands, and kept in the removal's own transaction, until the office marks it sent.
        var file: CommonTransferFile?
        if ground == .admittedElsewhere || ground?.needsMissingEducationEnquiries == true {
            file = try await store.registers.transferFile(
                from: laestab, to: ground == .admittedElsewhere ? newSchool : nil, pupils: [upn], today: day,
                dateTime: String(Timestamp.text(now).prefix(19)))
        }
        let held = file
        defer { store.referenceCache.clear() }
        try await store.transaction { db in
            try await Store.referenceChanged(on: db)
            let complete = try await self.missingEducationEnquiriesComplete(pupilID: pupil.id, on: db)
            do {
                try RollRemovalRules.check(ground: ground, newSchool: newSchool, enquiriesComplete: complete)
            } catch let problem as RollRemovalRules.Problem { throw StoreError.roll(problem) }
            guard let ground else { throw StoreError.roll(.noGround) }
            try await db.update("enrolments").set("on_roll_to", to: day.iso).set("leaving_reason", to: ground.rawValue)
                .where("pupil_id", .equal, pupil.id).where("school_id", .equal, school.id)
                .where("on_roll_from", .equal, enrolment.onRollFrom.iso).where("on_roll_to", .is, SQLLiteral.null)
                .changeStanding()
            try await Self.recordDeletion(
                pupilID: pupil.id, schoolID: school.id, upn: upn, school: laestab, on: day, ground: ground.rawValue,
                newSchool: newSchool, by: actor, at: now, on: db)
            if let held {
                try await TransferRepository.hold(
                    held, pupilID: pupil.id, schoolID: school.id, school: laestab, by: actor, at: now, on: db)
            }
        }
    }

    /// Deletions from every school's register from a day on, newest first: the authority's return.
    public func rollDeletions(since day: LocalDate) async throws -> [RollDeletion] {
        try await store.sql.raw(
            """
            SELECT d.*, p.upn, s.laestab FROM roll_deletions d JOIN pupils p ON p.id = d.pupil_id
            JOIN schools s ON s.id = d.school_id WHERE d.off_roll_on >= \(bind: day.iso)
            ORDER BY d.off_roll_on DESC, d.id DESC
            """
        ).all().map { row in
            guard let laestab = LAESTAB(text: try row.decode(column: "laestab", as: String.self)),
                let off = LocalDate(iso: try row.decode(column: "off_roll_on", as: String.self))
            else { throw StoreError.corrupt("a deletion that cannot be read") }
            let ground = try row.decode(column: "ground", as: String.self)
            return RollDeletion(
                upn: try UPN(try row.decode(column: "upn", as: String.self)), school: laestab, offRollOn: off,
                ground: RemovalGround(rawValue: ground), groundText: ground,
                newSchool: try row.decode(column: "new_laestab", as: String?.self).flatMap { LAESTAB(text: $0) },
                recordedBy: try row.decode(column: "recorded_by", as: String.self),
                recordedAt: try row.decode(column: "recorded_at", as: String.self))
        }
    }

    static func recordDeletion(
        pupilID: Int, schoolID: Int, upn: UPN, school laestab: LAESTAB, on day: LocalDate, ground: String,
        newSchool: LAESTAB?, by actor: AuditActor, at now: Date, on db: any SQLDatabase
    ) async throws {
        try await db.insert(into: "roll_deletions")
            .columns("pupil_id", "school_id", "off_roll_on", "ground", "new_laestab", "recorded_by", "recorded_at")
            .values(
                SQLBind(pupilID), SQLBind(schoolID), SQLBind(day.iso), SQLBind(ground), SQLBind(newSchool?.description),
                SQLBind(actor.name), SQLBind(Timestamp.text(now))
            ).run()
        try await Store.audit(
            [
                AuditEvent(
                    at: now, actor: actor, action: "roll.delete", school: laestab, upn: upn,
                    subject: "enrolment/\(laestab)",
                    after: auditJSON([
                        "off_roll_on": day.iso, "ground": ground, "laestab": newSchool?.description ?? "",
                    ]))
            ], on: db)
    }

    private func missingEducationCases(where condition: SQLQueryString) async throws -> [MissingEducationCase] {
        let from: SQLQueryString = """
            FROM cme_cases c JOIN pupils p ON p.id = c.pupil_id JOIN schools s ON s.id = c.school_id
            """
        let rows = try await store.sql.raw(
            "SELECT c.*, p.upn, s.laestab " + from + " WHERE " + condition + " ORDER BY c.id DESC"
        )
        .all()
        guard !rows.isEmpty else { return [] }
        var enquiries: [Int: [MissingEducationCase.Enquiry]] = [:]
        for row in try await store.sql.raw(
            "SELECT * FROM cme_enquiries WHERE case_id IN (SELECT c.id " + from + " WHERE " + condition
                + ") ORDER BY id"
        ).all() {
            guard let on = LocalDate(iso: try row.decode(column: "on_day", as: String.self)) else { continue }
            enquiries[try row.decode(column: "case_id", as: Int.self), default: []].append(
                .init(
                    on: on, check: try row.decode(column: "check_made", as: String.self),
                    with: try row.decode(column: "with_whom", as: String.self),
                    result: try row.decode(column: "result", as: String.self),
                    by: try row.decode(column: "by", as: String.self)))
        }
        return try rows.map { row in
            let id = try row.decode(column: "id", as: Int.self)
            guard let laestab = LAESTAB(text: try row.decode(column: "laestab", as: String.self)),
                let referredOn = LocalDate(iso: try row.decode(column: "referred_on", as: String.self))
            else { throw StoreError.corrupt("a CME case that cannot be read") }
            return MissingEducationCase(
                id: id, upn: try UPN(try row.decode(column: "upn", as: String.self)), school: laestab,
                referredOn: referredOn, referredBy: try row.decode(column: "referred_by", as: String.self),
                reason: try row.decode(column: "reason", as: String.self), enquiries: enquiries[id] ?? [],
                outcome: try row.decode(column: "outcome", as: String?.self)
                    .flatMap(MissingEducationOutcome.init(rawValue:)),
                outcomeSchool: try row.decode(column: "outcome_laestab", as: String?.self).flatMap {
                    LAESTAB(text: $0)
                },
                completedOn: try row.decode(column: "completed_on", as: String?.self).flatMap { LocalDate(iso: $0) })
        }
    }
}

import AttendanceCore
import Foundation
import SQLKit

extension LeaveRepository {
    /// Keeps a parent's request for leave in term time at the pupil's school, after the policy's checks on its
    /// dates: leave is asked before it is taken, so with `today` a first day before it is refused (nil only where
    /// history is loaded). Nothing is decided: the request waits for the head.
    public func requestLeave(
        for upn: UPN, dates: DateRange, reason: String, category: ExceptionalCategory?, details: String,
        siblings: String, today: LocalDate?, by actor: AuditActor, at now: Date = Date()
    ) async throws -> LeaveRequest {
        let stored = try await store.reference.requirePupil(upn)
        guard let laestab = stored.enrolments.first(where: { $0.isCurrent(on: dates.start) })?.school,
            let school = try await store.reference.school(laestab)
        else { throw StoreError.leave(.badRange) }
        guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw StoreError.leave(.noReason)
        }
        let calendar = try await store.reference.calendar(for: school.school)
        do {
            try LeaveRules.checkRequest(dates, calendar: calendar, today: today)
        } catch let error as LeaveRules.Problem { throw StoreError.leave(error) }
        let at = Timestamp.text(now)
        let id = try await store.transaction { db in
            let row = try await db.insert(into: "leave_requests")
                .columns(
                    "pupil_id", "school_id", "academic_year", "date_from", "date_to", "reason",
                    "exceptional_category", "details", "siblings", "requested_by", "requested_at", "status"
                )
                .values(
                    stored.id, school.id, dates.start.academicYear.startYear, dates.start.iso, dates.end.iso, reason,
                    category?.rawValue, details, siblings, actor.name, at, LeaveRequest.Status.pending.rawValue
                ).returning("id").first()
            guard let id = try row?.decode(column: "id", as: Int.self) else {
                throw StoreError.corrupt("a leave request with no id")
            }
            try await Store.audit(
                [
                    AuditEvent(
                        at: now, actor: actor, action: "leave.request", school: laestab, upn: upn,
                        subject: "leave/\(id)",
                        after: auditJSON([
                            "from": dates.start.iso, "to": dates.end.iso, "category": category?.rawValue,
                        ]), reason: reason)
                ], on: db)
            return id
        }
        guard let request = try await leaveRequest(LeaveRequestID(id)) else {
            throw StoreError.corrupt("a lost leave request")
        }
        return request
    }

    /// One request, wherever it is.
    public func leaveRequest(_ id: LeaveRequestID) async throws -> LeaveRequest? {
        try await leaveRequests(where: "r.id = \(bind: id.rawValue)").first
    }

    /// A pupil's requests, newest first.
    public func leaveRequests(of upn: UPN) async throws -> [LeaveRequest] {
        try await leaveRequests(where: "p.upn = \(bind: upn.value)")
    }

    /// A school's requests: those waiting for the head first, then the decided, newest first.
    public func leaveRequests(school laestab: LAESTAB) async throws -> [LeaveRequest] {
        let all = try await leaveRequests(where: "s.laestab = \(bind: laestab.description)")
        return all.filter { $0.status == .pending } + all.filter { $0.status != .pending }
    }

    /// School days of leave agreed for a pupil at a school in a school year, by the school's calendar.
    public func leaveDaysAgreed(_ upn: UPN, school laestab: LAESTAB, year: AcademicYear) async throws -> Int {
        let school = try await store.reference.requireSchool(laestab)
        let calendar = try await store.reference.calendar(for: school.school)
        return try await leaveRequests(of: upn)
            .filter { $0.school == laestab && $0.dates.start.academicYear == year }
            .compactMap(\.decision?.agreed).map { LeaveRules.schoolDays($0, calendar: calendar).count }
            .reduce(0, +)
    }

    /// Records the head's decision and what it means for the register, in one transaction: agreed school days
    /// become H (planned ahead, or replacing an absence not yet explained); days asked but not agreed that are
    /// already marked absent with no reason become G. A decision over the yearly limit needs an exceptional
    /// category; a request is decided once.
    public func decideLeave(
        _ id: LeaveRequestID, school laestab: LAESTAB, kind: LeaveDecision.Kind, agreed: DateRange?, reason: String,
        category: ExceptionalCategory?, limit: Int, by actor: AuditActor, at now: Date = Date()
    ) async throws -> LeaveRequest {
        guard let request = try await leaveRequest(id), request.school == laestab else {
            throw StoreError.notFound("leave request \(id)")
        }
        guard request.status == .pending else { throw StoreError.leave(.alreadyDecided) }
        let school = try await store.reference.requireSchool(laestab)
        let calendar = try await store.reference.calendar(for: school.school)
        let before = try await leaveDaysAgreed(request.upn, school: laestab, year: request.dates.start.academicYear)
        do {
            try LeaveRules.checkDecision(
                kind, agreed: kind == .agreed ? agreed : nil, asked: request.dates, category: category, reason: reason,
                agreedBefore: before, limit: limit, calendar: calendar)
        } catch let error as LeaveRules.Problem { throw StoreError.leave(error) }
        let agreedDays = kind == .agreed ? agreed : nil
        let status = LeaveRules.status(of: kind, agreed: agreedDays, asked: request.dates)
        // Referred (the authority decides) or off the roll (the roll's own rules apply): the register is left.
        let pupil = try await store.reference.requirePupil(request.upn)
        // A school decides for the days the pupil is on its roll: never another school's register.
        let onRoll = pupil.enrolments.filter { $0.school == laestab }
        let marks =
            [.agreed, .refused].contains(kind)
            ? try await leaveMarks(request, agreed: agreedDays, calendar: calendar).filter { entry in
                onRoll.contains { $0.isOnRoll(on: entry.mark.session.date) }
            } : []
        let pupilID = pupil.id
        let at = Timestamp.text(now)
        let laestabs = [school.id: laestab]
        try await store.transaction { db in
            try await db.update("leave_requests")
                .set("status", to: status.rawValue).set("decision", to: kind.rawValue)
                .set("agreed_from", to: agreedDays?.start.iso).set("agreed_to", to: agreedDays?.end.iso)
                .set("decision_reason", to: reason).set("decision_category", to: category?.rawValue)
                .set("decided_by", to: actor.name).set("decided_at", to: at)
                .where("id", .equal, id.rawValue).where("status", .equal, LeaveRequest.Status.pending.rawValue)
                .changeStanding()
            try await Store.audit(
                [
                    AuditEvent(
                        at: now, actor: actor, action: "leave.decision", school: laestab, upn: request.upn,
                        subject: "leave/\(id)",
                        after: auditJSON([
                            "decision": kind.rawValue, "from": agreedDays?.start.iso, "to": agreedDays?.end.iso,
                            "category": category?.rawValue,
                        ]), reason: reason)
                ], on: db)
            _ = try await store.registers.writeMarks(
                marks.map { MarkEntry(pupilID: pupilID, schoolID: school.id, mark: $0.mark, expected: $0.expected) },
                by: actor, reason: AmendmentReason.leaveDecision(request: id).stored, at: now, laestabs: laestabs,
                on: db)
        }
        guard let decided = try await leaveRequest(id) else { throw StoreError.corrupt("a lost leave request") }
        return decided
    }

    /// The marks a decision writes: H on every agreed session not yet marked or marked absent with no reason
    /// (a pupil who came in keeps their mark); G on asked, unagreed sessions already marked with no reason.
    private func leaveMarks(_ request: LeaveRequest, agreed: DateRange?, calendar: SchoolCalendar) async throws
        -> [(mark: Mark, expected: ExpectedMark)]
    {
        // An agreed extended holiday is F where the code table has such a code, otherwise H.
        let extended = LeaveRules.isExtended(request.dates) ? store.codes.code(meaning: .extendedHoliday) : nil
        guard let holiday = extended ?? store.codes.leaveCode(),
            let refused = store.codes.code(meaning: .holidayNotAgreed),
            let noReason = store.codes.code(meaning: .noReasonYet)
        else { return [] }
        let existing = try await markCodes(of: request.upn, in: request.dates)
        var marks: [(mark: Mark, expected: ExpectedMark)] = []
        for session in calendar.sessions(in: request.dates) {
            let current = existing[session]
            let expected: ExpectedMark = current.map { .code($0) } ?? .noMark
            if agreed?.contains(session.date) == true {
                guard current == nil || current == noReason.code else { continue }
                marks.append((Mark(upn: request.upn, session: session, code: holiday.code), expected))
            } else if current == noReason.code {
                marks.append((Mark(upn: request.upn, session: session, code: refused.code), expected))
            }
        }
        return marks
    }

    /// The code of each session marked for a pupil in a range: what a decision or a confirmation may replace.
    func markCodes(of upn: UPN, in range: DateRange) async throws -> [SchoolSession: String] {
        Dictionary(
            try await store.registers.marks(of: upn, in: range).map { ($0.mark.session, $0.mark.code) },
            uniquingKeysWith: { first, _ in first })
    }

    /// A register save in the light of the head's leave decisions: a pupil marked absent with no reason on a day
    /// of leave that was asked for and not agreed is recorded G (the policy: days taken without agreement, or
    /// beyond the agreed days, are G).
    public func applyingLeaveDecisions(_ marks: [SchoolMark]) async throws -> [SchoolMark] {
        guard let noReason = store.codes.code(meaning: .noReasonYet),
            let refused = store.codes.code(meaning: .holidayNotAgreed)
        else { return marks }
        let absent = Set(marks.filter { $0.mark.code == noReason.code }.map(\.mark.upn))
        guard !absent.isEmpty else { return marks }
        // One read for every absent pupil of the save, of the decided requests that can turn N into G.
        let decided: [LeaveRequest.Status] = [.refused, .partlyAgreed]
        let notAgreed = Dictionary(
            grouping: try await leaveRequests(
                where: """
                    p.upn IN (\(binds: absent.map(\.value))) AND r.status IN (\(binds: decided.map(\.rawValue)))
                    """), by: \.upn)
        return marks.map { given in
            guard given.mark.code == noReason.code,
                notAgreed[given.mark.upn]?.contains(where: { request in
                    request.dates.contains(given.mark.session.date)
                        && request.decision?.agreed?.contains(given.mark.session.date) != true
                        && request.decision?.kind != .referred
                }) == true
            else { return given }
            var mark = given.mark
            mark.code = refused.code
            return SchoolMark(school: given.school, mark: mark, expected: given.expected)
        }
    }

    func leaveRequests(where condition: SQLQueryString) async throws -> [LeaveRequest] {
        let rows = try await store.reader.raw(
            """
            SELECT r.*, p.upn, s.laestab FROM leave_requests r JOIN pupils p ON p.id = r.pupil_id
            JOIN schools s ON s.id = r.school_id WHERE
            """ + " " + condition + " ORDER BY r.id DESC"
        ).all()
        return try rows.map { row in
            func date(_ column: String) throws -> LocalDate? {
                try row.decode(column: column, as: String?.self).flatMap { LocalDate(iso: $0) }
            }
            guard let from = try date("date_from"), let to = try date("date_to"), let dates = DateRange(from, to),
                let laestab = LAESTAB(text: try row.decode(column: "laestab", as: String.self)),
                let status = LeaveRequest.Status(rawValue: try row.decode(column: "status", as: String.self))
            else { throw StoreError.corrupt("a leave request that cannot be read") }
            let decision = try row.decode(column: "decision", as: String?.self).flatMap(LeaveDecision.Kind.init)
                .map { kind in
                    LeaveDecision(
                        kind: kind,
                        agreed: try date("agreed_from").flatMap { start in
                            try date("agreed_to").flatMap { DateRange(start, $0) }
                        },
                        reason: try row.decode(column: "decision_reason", as: String?.self) ?? "",
                        exceptionalCategory: try row.decode(column: "decision_category", as: String?.self)
                            .flatMap(ExceptionalCategory.init),
                        decidedBy: try row.decode(column: "decided_by", as: String?.self) ?? "",
                        decidedAt: try row.decode(column: "decided_at", as: String?.self) ?? "")
                }
            return LeaveRequest(
                id: LeaveRequestID(try row.decode(column: "id", as: Int.self)),
                upn: try UPN(try row.decode(column: "upn", as: String.self)),
                school: laestab, dates: dates, reason: try row.decode(column: "reason", as: String.self),
                exceptionalCategory: try row.decode(column: "exceptional_category", as: String?.self)
                    .flatMap(ExceptionalCategory.init),
                details: try row.decode(column: "details", as: String.self),
                siblings: try row.decode(column: "siblings", as: String.self),
                requestedBy: try row.decode(column: "requested_by", as: String.self),
                requestedAt: try row.decode(column: "requested_at", as: String.self), status: status,
                decision: decision)
        }
    }
}

extension CodeTable {
    /// The code for agreed leave in term time: the ordinary holiday code (H), not the extended one (F).
    public func leaveCode() -> AttendanceCode? {
        codes.first { $0.means(.holidayAgreed) && !$0.means(.extendedHoliday) }
    }
}

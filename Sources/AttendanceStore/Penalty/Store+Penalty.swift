import AttendanceCore
import Foundation
import SQLKit

extension PenaltyRepository {
    /// Opens the term's case for a warning just sent on a penalty flag: the term's figures on today's record,
    /// and the criteria the flag was raised on with any met since (`PenaltyTerm.caseCriteria`). Nil outside a
    /// term, when there is no case to open.
    @discardableResult
    public func openWarnedCase(
        for upn: UPN, school laestab: LAESTAB, flaggedOn basis: String, on today: LocalDate, policy: Policy,
        by actor: AuditActor
    ) async throws -> PenaltyCase? {
        let school = try await store.reference.requireSchool(laestab).school
        let calendar = try await store.reference.calendar(for: school)
        guard let term = calendar.term(containing: today)?.range,
            let figures = try await penaltyTerm(of: upn, school: school, asOf: today, policy: policy)
        else { return nil }
        return try await openPenaltyCase(
            for: upn, school: laestab, term: term, criteria: figures.caseCriteria(flaggedOn: basis),
            counts: figures.counts, warnedOn: today, by: actor)
    }

    /// Opens a case when the head warns a parent: the criteria met this term, with their counts, and the
    /// warning as its first steps. A pupil has one open case per term; after a decline a new one may open.
    public func openPenaltyCase(
        for upn: UPN, school laestab: LAESTAB, term: DateRange, criteria: [PenaltyCriterion], counts: [String: Int],
        warnedOn: LocalDate, by actor: AuditActor, at now: Date = Date()
    ) async throws -> PenaltyCase {
        let pupil = try await store.reference.requirePupil(upn)
        let school = try await store.reference.requireSchool(laestab)
        if let open = try await penaltyCases(where: "p.upn = \(bind: upn.value)").first(where: {
            $0.term.start == term.start && [.eligible, .warned, .requested, .approved].contains($0.status)
        }) {
            return open
        }
        let countsJSON = auditJSON(counts.mapValues { String($0) })
        let at = Timestamp.text(now)
        let id = try await store.transaction { db in
            let row = try await db.insert(into: "penalty_cases")
                .columns(
                    "pupil_id", "school_id", "term_start", "term_end", "criteria", "counts", "status", "warned_on",
                    "opened_at"
                )
                .values(
                    pupil.id, school.id, term.start.iso, term.end.iso, criteria.map(\.rawValue).joined(separator: ","),
                    countsJSON, PenaltyStatus.warned.rawValue, warnedOn.iso, at
                ).returning("id").first()
            guard let id = try row?.decode(column: "id", as: Int.self) else {
                throw StoreError.corrupt("a penalty case with no id")
            }
            try await Self.penaltyEvents(
                [("eligible", nil, nil, countsJSON), (PenaltyStep.warn.rawValue, nil, nil, nil)],
                case: PenaltyCaseID(id),
                by: actor, at: at, on: db)
            try await Store.audit(
                [
                    AuditEvent(
                        at: now, actor: actor, action: "penalty.warn", school: laestab, upn: upn,
                        subject: "penalty/\(id)", after: countsJSON)
                ], on: db)
            return id
        }
        return try await requirePenaltyCase(PenaltyCaseID(id))
    }

    /// The head's request to the Education Lead: only after the policy's wait since the warning, with absence of
    /// the kind counted continuing after it. The head's notes on engagement and equality are kept with it.
    public func requestPenalty(
        _ id: PenaltyCaseID, school laestab: LAESTAB, engagement: String, equality: String, today: LocalDate,
        policy: Policy,
        by actor: AuditActor, at now: Date = Date(),
        document: @Sendable (PenaltyPack) async throws -> PenaltyPackDocument
    ) async throws -> PenaltyCase {
        let found = try await requirePenaltyCase(id)
        guard found.school == laestab else { throw StoreError.notFound("penalty case \(id)") }
        let next = try penaltyStep(.request, found.status)
        let check = try await penaltyRequestCheck(found, today: today, policy: policy)
        do {
            try PenaltyRules.checkRequest(
                criteria: found.criteria, wait: policy.casework.penaltyWait, schoolDaysSinceWarning: check.waited,
                sessionsSinceWarning: check.sinceWarning)
        } catch { throw StoreError.penalty(error) }
        let since = check.sinceWarning
        let pack = try await assemblePenaltyPack(
            found, engagement: engagement, equality: equality, today: today, policy: policy, by: actor, at: now)
        let made = try await document(pack)
        try await recordPenaltyStep(
            found, to: next, step: .request, reason: nil,
            data: auditJSON(["engagement": engagement, "equality": equality, "sessions_since_warning": String(since)]),
            by: actor, at: now
        ) { db in try await Self.keepPenaltyPack(pack, document: made, on: db) }
        return try await requirePenaltyCase(id)
    }

    /// Where a warned case stands for the head's request today, from the record: school days since the warning,
    /// unauthorised sessions after it, and the day the wait ends.
    public struct PenaltyRequestCheck: Sendable {
        public let standing: PenaltyRules.RequestStanding
        public let waited: Int
        public let sinceWarning: Int
        /// The school day the wait is over, when waiting is what is missing.
        public let readyFrom: LocalDate?
    }

    public func penaltyRequestCheck(_ found: PenaltyCase, today: LocalDate, policy: Policy) async throws
        -> PenaltyRequestCheck
    {
        guard let warnedOn = found.warnedOn else { throw StoreError.penalty(.notNow(found.status, .request)) }
        let calendar = try await store.reference.calendar(
            for: try await store.reference.requireSchool(found.school).school)
        let waited = calendar.schoolDays(after: warnedOn, through: today)
        // Nothing can have happened since a warning given today (or, by a clock set back, later).
        var since = 0
        if let afterWarning = DateRange(warnedOn.adding(days: 1), today) {
            since = try await store.registers.marks(of: found.upn, in: afterWarning)
                .compactMap { store.codes[$0.mark.code] }.filter { $0.category == .unauthorised }.count
        }
        let standing = PenaltyRules.requestStanding(
            criteria: found.criteria, wait: policy.casework.penaltyWait, schoolDaysSinceWarning: waited,
            sessionsSinceWarning: since)
        var readyFrom: LocalDate?
        if !standing.isReady, standing.schoolDaysLeft > 0 {
            readyFrom = calendar.schoolDay(standing.schoolDaysLeft, after: today)
        }
        return PenaltyRequestCheck(standing: standing, waited: waited, sinceWarning: since, readyFrom: readyFrom)
    }

    /// The Education Lead approves or declines a request, with a reason. Approval is refused for a pupil with a
    /// prosecution begun, or when a parent with parental responsibility already has the local limit of notices
    /// in the last 12 months.
    public func decidePenalty(
        _ id: PenaltyCaseID, approve: Bool, reason: String, today: LocalDate, policy: Policy, by actor: AuditActor,
        at now: Date = Date()
    ) async throws -> PenaltyCase {
        let found = try await requirePenaltyCase(id)
        guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw StoreError.penalty(.noReason)
        }
        let step: PenaltyStep = approve ? .approve : .decline
        let next = try penaltyStep(step, found.status)
        if approve {
            let parents = try await store.contacts.contacts(of: found.upn).filter(\.receivesPenaltyNotice).map(\.name)
            var counts: [String: Int] = [:]
            for parent in parents { counts[parent] = try await noticesInLastYear(parent: parent, today: today) }
            let prosecuted = try await penaltyCases(where: "p.upn = \(bind: found.upn.value)").contains { other in
                other.id != found.id && other.term.overlaps(found.term)
                    && other.notices.contains { $0.status == .prosecutionReferred }
            }
            do {
                try PenaltyRules.checkApproval(
                    noticesInLastYear: counts, limit: policy.penaltyNotice.noticesPerParentPer12Months,
                    prosecutionBegun: prosecuted)
            } catch { throw StoreError.penalty(error) }
        }
        try await recordPenaltyStep(found, to: next, step: step, reason: reason, data: nil, by: actor, at: now)
        return try await requirePenaltyCase(id)
    }

    /// Issues an approved case's notices: one per parent with parental responsibility, in their language, each
    /// numbered, with how it was served and the day it is taken to be received.
    public func issuePenaltyNotices(
        _ id: PenaltyCaseID, method: ServiceMethod, issuedOn: LocalDate, policy: Policy, by actor: AuditActor,
        at now: Date = Date()
    ) async throws -> PenaltyCase {
        let found = try await requirePenaltyCase(id)
        let next = try penaltyStep(.issue, found.status)
        let parents = try await store.contacts.contacts(of: found.upn).filter(\.receivesPenaltyNotice)
        guard !parents.isEmpty else {
            throw StoreError.notFound("a parent with parental responsibility who lives with the pupil")
        }
        let received = PenaltyRules.deemedReceipt(
            issuedOn: issuedOn, method: method, postWorkingDays: policy.penaltyNotice.postReceiptWorkingDays)
        let at = Timestamp.text(now)
        try await store.transaction { db in
            try await db.update("penalty_cases").set("status", to: next.rawValue).where("id", .equal, id.rawValue)
                .where("status", .equal, found.status.rawValue).changeStanding()
            for (index, parent) in parents.enumerated() {
                let number = "\(found.school)-\(found.term.start.academicYear.startYear)-\(id)-\(index + 1)"
                let row = try await db.insert(into: "penalty_notices")
                    .columns(
                        "case_id", "number", "parent", "address", "language", "method", "issued_on", "received_on",
                        "status"
                    )
                    .values(
                        id, number, parent.name, parent.address, parent.language.rawValue, method.rawValue,
                        issuedOn.iso, received.iso, NoticeStatus.issued.rawValue
                    ).returning("id").first()
                let noticeID = try row?.decode(column: "id", as: Int.self)
                try await Self.penaltyEvents(
                    [
                        (
                            "notice", noticeID, nil,
                            auditJSON(["number": number, "method": method.rawValue, "received_on": received.iso])
                        )
                    ], case: id, by: actor, at: at, on: db)
            }
            try await Self.penaltyEvents(
                [(PenaltyStep.issue.rawValue, nil, nil, nil)], case: id, by: actor, at: at, on: db)
            try await Store.audit(
                [
                    AuditEvent(
                        at: now, actor: actor, action: "penalty.issue", school: found.school, upn: found.upn,
                        subject: "penalty/\(id)", after: auditJSON(["notices": String(parents.count)]))
                ], on: db)
        }
        return try await requirePenaltyCase(id)
    }

    /// Records a payment: the amount due on the day it was paid (60 to day 28, 120 to day 42), never after.
    public func recordPenaltyPayment(
        notice noticeID: Int, pence: Int, paidOn: LocalDate, reference: String, policy: Policy,
        by actor: AuditActor, at now: Date = Date()
    ) async throws {
        guard let notice = try await penaltyNotices(where: "n.id = \(bind: noticeID)").first else {
            throw StoreError.notFound("notice \(noticeID)")
        }
        guard notice.status == .issued else { throw StoreError.penalty(.lapsed) }
        do {
            try policy.penaltyNotice.terms(receivedOn: notice.receivedOn).checkPayment(pence: pence, on: paidOn)
        } catch { throw StoreError.penalty(error) }
        try await noticeStep(
            notice, to: .paid, step: "pay", reason: reference,
            data: auditJSON(["pence": String(pence), "paid_on": paidOn.iso, "reference": reference]), by: actor,
            at: now
        ) { update in
            update.set("paid_pence", to: pence).set("paid_on", to: paidOn.iso).set("reference", to: reference)
        }
    }

    /// The daily run: notices not paid by day 42 after receipt become unpaid, for the Education Lead's list.
    @discardableResult
    public func runPenaltyNotices(
        asOf: LocalDate, policy: Policy, by actor: AuditActor = .system, at now: Date = Date()
    )
        async throws -> Int
    {
        var lapsed = 0
        for notice in try await penaltyNotices(where: "n.status = \(bind: NoticeStatus.issued.rawValue)")
        where policy.penaltyNotice.terms(receivedOn: notice.receivedOn).hasLapsed(on: asOf) {
            try await noticeStep(
                notice, to: .unpaid, step: "lapse", reason: nil, data: auditJSON(["as_of": asOf.iso]), by: actor,
                at: now)
            lapsed += 1
        }
        return lapsed
    }

    /// The Education Lead refers an unpaid notice for prosecution (with the case's bundle).
    public func referPenaltyNotice(_ noticeID: Int, reason: String, by actor: AuditActor, at now: Date = Date())
        async throws
    {
        guard let notice = try await penaltyNotices(where: "n.id = \(bind: noticeID)").first else {
            throw StoreError.notFound("notice \(noticeID)")
        }
        guard notice.status == .unpaid else { throw StoreError.penalty(.notNow(.issued, .withdraw)) }
        // The referral is a prosecution's first step: it opens with it, in the same transaction.
        let found = try await requirePenaltyCase(notice.caseID)
        let pupil = try await store.reference.requirePupil(found.upn)
        try await noticeStep(
            notice, to: .prosecutionReferred, step: "refer", reason: reason, data: nil, by: actor, at: now,
            then: { db in
                _ = try await Self.insertProceeding(
                    .prosecution, pupilID: pupil.id, upn: found.upn, origin: .penaltyNotice, originID: notice.id,
                    on: LocalDate.today(at: now), detail: reason, by: actor, at: now, on: db)
            })
    }

    /// Withdraws a case that has not yet been issued, or one notice, with a reason.
    public func withdrawPenalty(case id: PenaltyCaseID, reason: String, by actor: AuditActor, at now: Date = Date())
        async throws
    {
        let found = try await requirePenaltyCase(id)
        guard !reason.isEmpty else { throw StoreError.penalty(.noReason) }
        let next = try penaltyStep(.withdraw, found.status)
        try await recordPenaltyStep(found, to: next, step: .withdraw, reason: reason, data: nil, by: actor, at: now)
    }

    public func withdrawPenaltyNotice(_ noticeID: Int, reason: String, by actor: AuditActor, at now: Date = Date())
        async throws
    {
        guard let notice = try await penaltyNotices(where: "n.id = \(bind: noticeID)").first,
            [.issued, .unpaid].contains(notice.status)
        else { throw StoreError.notFound("a notice that can be withdrawn") }
        guard !reason.isEmpty else { throw StoreError.penalty(.noReason) }
        try await noticeStep(notice, to: .withdrawn, step: "withdraw", reason: reason, data: nil, by: actor, at: now)
    }

    /// Cases at a school (or every school), newest first, optionally in one standing.
    public func penaltyCases(school laestab: LAESTAB?, status: PenaltyStatus? = nil) async throws -> [PenaltyCase] {
        let all = try await penaltyCases(
            where: laestab.map { "s.laestab = \(bind: $0.description)" } ?? "1 = 1")
        return status.map { wanted in all.filter { $0.status == wanted } } ?? all
    }

    /// The days the Education Lead declined a request for the pupil: after one, a term's sessions count again only
    /// from the next day (`PenaltyRules.countsFrom`, applied by the procedure's penalty rule).
    public func penaltyDeclines(of upn: UPN) async throws -> [LocalDate] {
        try await penaltyDeclines(where: "p.upn = \(bind: upn.value)").values.flatMap { $0 }
    }

    private func penaltyDeclines(where condition: SQLQueryString) async throws -> [Int: [LocalDate]] {
        let rows = try await store.sql.raw(
            """
            SELECT c.pupil_id, e.at FROM penalty_events e JOIN penalty_cases c ON c.id = e.case_id
            JOIN pupils p ON p.id = c.pupil_id WHERE e.step = \(bind: PenaltyStep.decline.rawValue) AND
            """ + " " + condition
        ).all()
        var declines: [Int: [LocalDate]] = [:]
        for row in rows {
            guard let day = LocalDate(iso: try row.decode(column: "at", as: String.self).prefix(10)) else { continue }
            declines[try row.decode(column: "pupil_id", as: Int.self), default: []].append(day)
        }
        return declines
    }

    public func requirePenaltyCase(_ id: PenaltyCaseID) async throws -> PenaltyCase {
        guard let found = try await penaltyCases(where: "c.id = \(bind: id.rawValue)").first else {
            throw StoreError.notFound("penalty case \(id)")
        }
        return found
    }

    // MARK: - Recording

    private func penaltyStep(_ step: PenaltyStep, _ status: PenaltyStatus) throws -> PenaltyStatus {
        do { return try PenaltyRules.apply(step, to: status) } catch { throw StoreError.penalty(error) }
    }

    private func recordPenaltyStep(
        _ found: PenaltyCase, to next: PenaltyStatus, step: PenaltyStep, reason: String?, data: String?,
        by actor: AuditActor, at now: Date, also: (@Sendable (any SQLDatabase) async throws -> Void)? = nil
    ) async throws {
        let at = Timestamp.text(now)
        try await store.transaction { db in
            try await db.update("penalty_cases").set("status", to: next.rawValue).where("id", .equal, found.id.rawValue)
                .where("status", .equal, found.status.rawValue).changeStanding()
            try await also?(db)
            try await Self.penaltyEvents(
                [(step.rawValue, nil, reason, data)], case: found.id, by: actor, at: at, on: db)
            try await Store.audit(
                [
                    AuditEvent(
                        at: now, actor: actor, action: "penalty.\(step.rawValue)", school: found.school,
                        upn: found.upn, subject: "penalty/\(found.id)", after: data, reason: reason)
                ], on: db)
        }
    }

    private func noticeStep(
        _ notice: PenaltyNoticeRecord, to next: NoticeStatus, step: String, reason: String?, data: String?,
        by actor: AuditActor, at now: Date,
        also: @escaping @Sendable (SQLUpdateBuilder) -> SQLUpdateBuilder = { $0 },
        then: (@Sendable (any SQLDatabase) async throws -> Void)? = nil
    ) async throws {
        let found = try await requirePenaltyCase(notice.caseID)
        let at = Timestamp.text(now)
        try await store.transaction { db in
            try await also(db.update("penalty_notices").set("status", to: next.rawValue))
                .where("id", .equal, notice.id).where("status", .equal, notice.status.rawValue).changeStanding()
            try await Self.penaltyEvents(
                [(step, notice.id, reason, data)], case: notice.caseID, by: actor, at: at, on: db)
            try await Store.audit(
                [
                    AuditEvent(
                        at: now, actor: actor, action: "penalty.\(step)", school: found.school, upn: found.upn,
                        subject: "notice/\(notice.number)", after: data, reason: reason)
                ], on: db)
            try await then?(db)
        }
    }

    private static func penaltyEvents(
        _ events: [(step: String, notice: Int?, reason: String?, data: String?)], case id: PenaltyCaseID,
        by actor: AuditActor,
        at: String, on db: any SQLDatabase
    ) async throws {
        for event in events {
            try await db.insert(into: "penalty_events")
                .columns("case_id", "notice_id", "step", "at", "by", "reason", "data")
                .values(id.rawValue, event.notice, event.step, at, actor.name, event.reason, event.data).run()
        }
    }

    // MARK: - Reading

    /// Cases matching a condition on `c` (the case), `p` (its pupil) and `s` (its school), with their steps and
    /// notices: three queries however many cases match.
    private func penaltyCases(where condition: SQLQueryString) async throws -> [PenaltyCase] {
        let from: SQLQueryString = """
            FROM penalty_cases c JOIN pupils p ON p.id = c.pupil_id JOIN schools s ON s.id = c.school_id
            """
        let rows = try await store.sql.raw(
            """
            SELECT c.*, p.upn, s.laestab, k.id AS pack_id, CASE WHEN k.pdf IS NULL THEN 0 ELSE 1 END AS pack_pdf
            """ + " " + from + " LEFT JOIN penalty_packs k ON k.case_id = c.id WHERE " + condition
                + " ORDER BY c.id DESC"
        ).all()
        guard !rows.isEmpty else { return [] }
        let matching: SQLQueryString = "(SELECT c.id " + from + " WHERE " + condition + ")"
        var events: [Int: [PenaltyEvent]] = [:]
        for event in try await store.sql.raw(
            "SELECT * FROM penalty_events WHERE case_id IN " + matching + " ORDER BY id"
        ).all() {
            events[try event.decode(column: "case_id", as: Int.self), default: []].append(
                PenaltyEvent(
                    step: try event.decode(column: "step", as: String.self),
                    noticeID: try event.decode(column: "notice_id", as: Int?.self),
                    at: try event.decode(column: "at", as: String.self),
                    by: try event.decode(column: "by", as: String.self),
                    reason: try event.decode(column: "reason", as: String?.self),
                    data: try event.decode(column: "data", as: String?.self)))
        }
        let notices = Dictionary(
            grouping: try await penaltyNotices(where: "n.case_id IN " + matching), by: \.caseID)
        return try rows.map { row in
            let id = PenaltyCaseID(try row.decode(column: "id", as: Int.self))
            guard let start = LocalDate(iso: try row.decode(column: "term_start", as: String.self)),
                let end = LocalDate(iso: try row.decode(column: "term_end", as: String.self)),
                let term = DateRange(start, end),
                let laestab = LAESTAB(text: try row.decode(column: "laestab", as: String.self)),
                let status = PenaltyStatus(rawValue: try row.decode(column: "status", as: String.self))
            else { throw StoreError.corrupt("a penalty case that cannot be read") }
            let counts =
                (try? JSONDecoder().decode(
                    [String: String].self, from: Data(try row.decode(column: "counts", as: String.self).utf8)))?
                .compactMapValues { Int($0) } ?? [:]
            return PenaltyCase(
                id: id, upn: try UPN(try row.decode(column: "upn", as: String.self)), school: laestab, term: term,
                criteria: try row.decode(column: "criteria", as: String.self).split(separator: ",")
                    .compactMap { PenaltyCriterion(rawValue: String($0)) }, counts: counts, status: status,
                warnedOn: try row.decode(column: "warned_on", as: String?.self).flatMap { LocalDate(iso: $0) },
                events: events[id.rawValue] ?? [], notices: notices[id] ?? [],
                pack: try row.decode(column: "pack_id", as: Int?.self) == nil
                    ? .none : try row.decode(column: "pack_pdf", as: Int.self) == 1 ? .documentAndPDF : .document)
        }
    }

    func penaltyNotices(where condition: SQLQueryString) async throws -> [PenaltyNoticeRecord] {
        try await store.sql.raw("SELECT n.* FROM penalty_notices n WHERE " + condition + " ORDER BY n.id").all().map {
            row in
            guard let issued = LocalDate(iso: try row.decode(column: "issued_on", as: String.self)),
                let received = LocalDate(iso: try row.decode(column: "received_on", as: String.self)),
                let status = NoticeStatus(rawValue: try row.decode(column: "status", as: String.self)),
                let method = ServiceMethod(rawValue: try row.decode(column: "method", as: String.self))
            else { throw StoreError.corrupt("a penalty notice that cannot be read") }
            return PenaltyNoticeRecord(
                id: try row.decode(column: "id", as: Int.self),
                caseID: PenaltyCaseID(try row.decode(column: "case_id", as: Int.self)),
                number: try row.decode(column: "number", as: String.self),
                parent: try row.decode(column: "parent", as: String.self),
                address: try row.decode(column: "address", as: String?.self),
                language: LanguagePreference(rawValue: try row.decode(column: "language", as: String.self)) ?? .both,
                method: method, issuedOn: issued, receivedOn: received, status: status,
                paidPence: try row.decode(column: "paid_pence", as: Int?.self),
                paidOn: try row.decode(column: "paid_on", as: String?.self).flatMap { LocalDate(iso: $0) },
                reference: try row.decode(column: "reference", as: String?.self))
        }
    }
}

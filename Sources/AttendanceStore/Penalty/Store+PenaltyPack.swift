import AttendanceCore
import Foundation
import SQLKit

/// A request's evidence pack as kept: the data, and the document made from it (HTML, and PDF where it could be
/// made) in the language of the head who sent it.
public struct KeptPenaltyPack: Sendable {
    public let caseID: PenaltyCaseID
    public let pack: PenaltyPack
    public let language: Language
    public let html: String
    public let pdf: Data?
    public let sha256: String
}

/// The document a pack becomes: made by the web edge (its words and layout), kept by the store.
public struct PenaltyPackDocument: Sendable {
    public let language: Language
    public let html: String
    public let pdf: Data?

    public init(language: Language, html: String, pdf: Data?) {
        self.language = language
        self.html = html
        self.pdf = pdf
    }
}

extension PenaltyRepository {
    /// Gathers a case's evidence from the record, to the day of the request: the term's register extract with
    /// the sessions the criteria count and every change to them, the figures, the school year's letters, calls
    /// and procedure steps, the pupil's recorded needs and circumstances, each parent's notices in the last 12
    /// months, and other children with the same parents.
    public func assemblePenaltyPack(
        _ found: PenaltyCase, engagement: String, equality: String, today: LocalDate, policy: Policy,
        by actor: AuditActor, at now: Date = Date()
    ) async throws -> PenaltyPack {
        let stored = try await store.reference.requirePupil(found.upn)
        let school = try await store.reference.requireSchool(found.school)
        let through = min(found.term.end, max(found.term.start, today))
        let term = DateRange(found.term.start, through) ?? found.term
        let year = found.term.start.academicYear
        let yearSoFar = DateRange(year.firstDay, through) ?? term
        let (_, summary) = try await store.registers.summary(of: found.upn, in: term)
        let penaltyTerm = try await self.penaltyTerm(
            of: found.upn, school: school.school, asOf: through, policy: policy)
        let counted = Set(found.criteria.flatMap { penaltyTerm?.sessions[$0.rawValue] ?? [] })
        let sessions = try await store.registers.marks(of: found.upn, in: term).map { recorded in
            PenaltyPack.Session(
                date: recorded.mark.session.date.iso, half: recorded.mark.session.half.rawValue,
                code: recorded.mark.code, minutesLate: recorded.mark.minutesLate,
                counted: counted.contains(recorded.mark.session))
        }
        let changes = try await store.registers.amendments(of: found.upn).filter { term.contains($0.session.date) }.map
        {
            change in
            PenaltyPack.Change(
                date: change.session.date.iso, half: change.session.half.rawValue, from: change.oldCode,
                to: change.newCode, by: change.changedBy, at: Timestamp.text(change.changedAt), reason: change.reason)
        }
        let steps = try await timeline(of: stored, schoolID: school.id, school: found.school, in: yearSoFar)
        var parents: [PenaltyPack.Parent] = []
        for parent in try await store.contacts.contacts(of: found.upn) where parent.parentalResponsibility {
            parents.append(
                PenaltyPack.Parent(
                    name: parent.name, relationship: parent.relationship, language: parent.language.rawValue,
                    livesWithPupil: parent.livesWithPupil,
                    noticesInLastYear: try await noticesInLastYear(parent: parent.name, today: today)))
        }
        return PenaltyPack(
            caseID: found.id, madeAt: Timestamp.text(now), madeBy: actor.name,
            schoolLAESTAB: found.school.description, schoolName: school.school.name, term: found.term,
            through: through, criteria: found.criteria, counts: found.counts, pupil: .init(stored.pupil),
            figures: .init(summary), sessions: sessions, changes: changes,
            steps: steps, parents: parents,
            siblings: try await siblings(of: stored.id), engagement: engagement, equality: equality)
    }

    /// What a school did about a pupil's absence in a range of days, in date order: its letters, the procedure's
    /// steps with their outcomes, and its calls and messages. What evidence packs keep and ESW cases show.
    func timeline(of stored: StoredPupil, schoolID: Int, school: LAESTAB, in range: DateRange) async throws
        -> [TimelineStep]
    {
        var steps = try await store.letters.letters(of: stored.pupil.upn).filter {
            $0.school == school
                && LocalDate(iso: Timestamp.text($0.producedAt).prefix(10)).map(range.contains) == true
        }.map { letter in
            TimelineStep(
                on: String(Timestamp.text(letter.producedAt).prefix(10)), kind: .letter, what: letter.kind.rawValue,
                outcome: letter.channel, by: letter.producedBy, note: letter.recipientNames.joined(separator: ", "))
        }
        steps += try await store.procedure.actions(schoolID: schoolID, status: nil, upn: stored.pupil.upn).filter {
            range.contains($0.dueOn)
        }.map { item in
            TimelineStep(
                on: item.dueOn.iso, kind: .action, what: item.action.rawValue, outcome: item.status.rawValue,
                by: item.statusChangedBy, note: item.statusNote)
        }
        steps += try await store.procedure.contactAttempts(of: stored.id, school: schoolID, in: range).map { attempt in
            TimelineStep(
                on: attempt.date.iso, kind: .contact, what: attempt.method.rawValue, outcome: attempt.outcome.rawValue,
                by: attempt.recordedBy,
                note: [attempt.contactName, attempt.notes].compactMap { $0 }.filter { !$0.isEmpty }
                    .joined(separator: ": "))
        }
        return steps.sorted { ($0.on, $0.kind.rawValue) < ($1.on, $1.kind.rawValue) }
    }

    /// The same for a pupil at a school, from the school year's first day to `through`.
    public func timeline(of upn: UPN, school laestab: LAESTAB, through: LocalDate) async throws -> [TimelineStep] {
        let stored = try await store.reference.requirePupil(upn)
        let school = try await store.reference.requireSchool(laestab)
        guard let range = DateRange(through.academicYear.firstDay, through) else { return [] }
        return try await timeline(of: stored, schoolID: school.id, school: laestab, in: range)
    }

    /// A case's kept pack, or nil when its request has none.
    public func penaltyPack(case id: PenaltyCaseID) async throws -> KeptPenaltyPack? {
        guard
            let row = try await store.sql.raw("SELECT * FROM penalty_packs WHERE case_id = \(bind: id.rawValue)")
                .first()
        else { return nil }
        guard let language = Language(rawValue: try row.decode(column: "language", as: String.self)),
            let pack = try? JSONDecoder().decode(
                PenaltyPack.self, from: Data(try row.decode(column: "data", as: String.self).utf8))
        else { throw StoreError.corrupt("a penalty case's evidence pack that cannot be read") }
        return KeptPenaltyPack(
            caseID: id, pack: pack, language: language, html: try row.decode(column: "html", as: String.self),
            pdf: try row.decode(column: "pdf", as: String?.self).flatMap { Data(base64Encoded: $0) },
            sha256: try row.decode(column: "sha256", as: String.self))
    }

    /// Writes the pack and its document in the request's transaction.
    static func keepPenaltyPack(
        _ pack: PenaltyPack, document: PenaltyPackDocument, on db: any SQLDatabase
    ) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = String(decoding: try encoder.encode(pack), as: UTF8.self)
        try await db.insert(into: "penalty_packs")
            .columns("case_id", "made_by", "made_at", "language", "data", "html", "pdf", "sha256")
            .values(
                SQLBind(pack.caseID.rawValue), SQLBind(pack.madeBy), SQLBind(pack.madeAt),
                SQLBind(document.language.rawValue),
                SQLBind(data), SQLBind(document.html), SQLBind(document.pdf?.base64EncodedString()),
                SQLBind(Digest.sha256Hex(document.pdf ?? Data(document.html.utf8)))
            ).run()
    }

    /// Notices served on a parent (by name) in the 12 months to `today`, not counting withdrawn ones: what the
    /// local limit is checked against.
    func noticesInLastYear(parent: String, today: LocalDate) async throws -> Int {
        try await penaltyNotices(
            where: "n.parent = \(bind: parent) AND n.issued_on > \(bind: today.adding(days: -365).iso)"
        ).filter { $0.status != .withdrawn }.count
    }

    /// Other pupils with a contact of the same name who shares an email address or a phone number with one of
    /// this pupil's contacts with parental responsibility.
    private func siblings(of pupilID: Int) async throws -> [PenaltyPack.Sibling] {
        let rows = try await store.sql.raw(
            """
            SELECT DISTINCT p.upn, p.legal_forename, p.legal_surname, p.preferred_forename, p.preferred_surname,
            (SELECT s.laestab FROM enrolments e JOIN schools s ON s.id = e.school_id WHERE e.pupil_id = p.id
             ORDER BY e.on_roll_from DESC LIMIT 1) AS laestab
            FROM contacts c JOIN contacts o ON o.pupil_id <> c.pupil_id AND o.name = c.name
             AND ((c.email IS NOT NULL AND c.email <> '' AND o.email = c.email)
              OR (c.mobile IS NOT NULL AND c.mobile <> '' AND o.mobile = c.mobile)
              OR (c.phone IS NOT NULL AND c.phone <> '' AND o.phone = c.phone))
            JOIN pupils p ON p.id = o.pupil_id
            WHERE c.pupil_id = \(bind: pupilID) AND c.parental_responsibility = \(bind: true)
            ORDER BY p.upn
            """
        ).all()
        return try rows.map { row in
            let forename =
                try row.decode(column: "preferred_forename", as: String?.self)
                ?? row.decode(column: "legal_forename", as: String.self)
            let surname =
                try row.decode(column: "preferred_surname", as: String?.self)
                ?? row.decode(column: "legal_surname", as: String.self)
            return PenaltyPack.Sibling(
                upn: try row.decode(column: "upn", as: String.self), name: "\(forename) \(surname)",
                school: try row.decode(column: "laestab", as: String?.self) ?? "")
        }
    }
}

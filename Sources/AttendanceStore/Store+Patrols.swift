import AttendanceCore
import Foundation
import SQLKit

extension Store {
    /// Logs a sighting, matched to the one pupil on the named school's roll that day with the name given (legal or
    /// preferred, any case), if exactly one has it.
    public func logPatrolEntry(_ sighting: PatrolSighting, by actor: AuditActor, at now: Date = Date()) async throws
        -> PatrolEntry
    {
        var schoolID: Int?
        var pupilID: Int?
        var upn: UPN?
        if let laestab = sighting.school {
            let school = try await requireSchool(laestab)
            schoolID = school.id
            let wanted = Self.nameKey(sighting.nameGiven)
            let matches = try await onRoll(laestab, on: sighting.seenOn).filter { pupil in
                wanted == Self.nameKey("\(pupil.legalForename) \(pupil.legalSurname)")
                    || wanted == Self.nameKey(pupil.displayName)
            }
            if matches.count == 1 {
                upn = matches[0].upn
                pupilID = try await requirePupil(matches[0].upn).id
            }
        }
        let (schoolRow, pupilRow, matched) = (schoolID, pupilID, upn)
        let id = try await transaction { db in
            guard
                let id = try await db.insert(into: "patrol_entries")
                    .columns(
                        "seen_on", "seen_at", "place", "name_given", "school_given", "school_id", "pupil_id",
                        "reason_given", "accompanied", "taken_to", "logged_by", "logged_at"
                    )
                    .values(
                        SQLBind(sighting.seenOn.iso), SQLBind(sighting.seenAt), SQLBind(sighting.place),
                        SQLBind(sighting.nameGiven), SQLBind(sighting.schoolGiven), SQLBind(schoolRow),
                        SQLBind(pupilRow), SQLBind(sighting.reasonGiven), SQLBind(sighting.accompanied),
                        SQLBind(sighting.takenTo), SQLBind(actor.name), SQLBind(Timestamp.text(now))
                    ).returning("id").first(decodingColumn: "id", as: Int.self)
            else { throw StoreError.corrupt("a patrol entry with no id") }
            try await Self.audit(
                [
                    AuditEvent(
                        at: now, actor: actor, action: "patrol.log", school: sighting.school, upn: matched,
                        subject: "patrol/\(id)",
                        after: auditJSON(["seen_on": sighting.seenOn.iso, "matched": matched == nil ? "false" : "true"])
                    )
                ], on: db)
            return id
        }
        guard let entry = try await patrolEntries(where: "e.id = \(bind: id)").first else {
            throw StoreError.corrupt("a patrol entry not kept")
        }
        return entry
    }

    /// One patrol member's own entries, newest first (every entry when `by` is nil: the education lead).
    public func patrolEntries(by email: String?) async throws -> [PatrolEntry] {
        guard let email else { return try await patrolEntries(where: "1 = 1") }
        return try await patrolEntries(where: "e.logged_by = \(bind: email)")
    }

    /// Entries matched to a school's pupils on a day: what its office sees.
    public func patrolEntries(school laestab: LAESTAB, on day: LocalDate) async throws -> [PatrolEntry] {
        try await patrolEntries(
            where: "s.laestab = \(bind: laestab.description) AND e.seen_on = \(bind: day.iso) AND p.upn IS NOT NULL")
    }

    /// A pupil's entries, newest first.
    public func patrolEntries(of upn: UPN) async throws -> [PatrolEntry] {
        try await patrolEntries(where: "p.upn = \(bind: upn.value)")
    }

    /// Days in a range with a patrol entry for the pupil and unauthorised absence in the register: the count
    /// behind the penalty notice criterion of repeated contact with the police in school hours.
    public func policeContacts(_ upn: UPN, in range: DateRange) async throws -> Int {
        let unauthorisedDays = Set(
            try await marks(of: upn, in: range).filter { codes[$0.mark.code]?.category == .unauthorised }
                .map(\.mark.session.date))
        // Days, not entries: two entries on one day are one contact.
        return Set(
            try await patrolEntries(of: upn).map(\.seenOn).filter {
                range.contains($0) && unauthorisedDays.contains($0)
            }
        ).count
    }

    static func nameKey(_ name: String) -> String {
        name.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    private func patrolEntries(where condition: SQLQueryString) async throws -> [PatrolEntry] {
        try await sql.raw(
            """
            SELECT e.*, s.laestab, p.upn FROM patrol_entries e LEFT JOIN schools s ON s.id = e.school_id
            LEFT JOIN pupils p ON p.id = e.pupil_id WHERE
            """ + " " + condition + " ORDER BY e.seen_on DESC, e.id DESC"
        ).all().map { row in
            guard let seenOn = LocalDate(iso: try row.decode(column: "seen_on", as: String.self)) else {
                throw StoreError.corrupt("a patrol entry with no day")
            }
            return PatrolEntry(
                id: try row.decode(column: "id", as: Int.self),
                sighting: PatrolSighting(
                    seenOn: seenOn, seenAt: try row.decode(column: "seen_at", as: String.self),
                    place: try row.decode(column: "place", as: String.self),
                    nameGiven: try row.decode(column: "name_given", as: String.self),
                    schoolGiven: try row.decode(column: "school_given", as: String.self),
                    school: try row.decode(column: "laestab", as: String?.self).flatMap { LAESTAB(text: $0) },
                    reasonGiven: try row.decode(column: "reason_given", as: String.self),
                    accompanied: try row.decode(column: "accompanied", as: Bool.self),
                    takenTo: try row.decode(column: "taken_to", as: String.self)),
                upn: try row.decode(column: "upn", as: String?.self).flatMap { try? UPN($0) },
                loggedBy: try row.decode(column: "logged_by", as: String.self),
                loggedAt: try row.decode(column: "logged_at", as: String.self))
        }
    }
}

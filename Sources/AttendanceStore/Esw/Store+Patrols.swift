import AttendanceCore
import Foundation
import SQLKit

extension EswRepository {
    /// Logs a sighting, matched to the one pupil on the named school's roll that day with the name given (legal or
    /// preferred, any case), if exactly one has it.
    public func logPatrolEntry(_ sighting: PatrolSighting, by actor: AuditActor, at now: Date = Date()) async throws
        -> PatrolEntry
    {
        var schoolID: Int?
        var pupilID: Int?
        var upn: UPN?
        if let laestab = sighting.school {
            let school = try await store.reference.requireSchool(laestab)
            schoolID = school.id
            let wanted = Self.nameKey(sighting.nameGiven)
            let matches = try await store.reference.onRoll(laestab, on: sighting.seenOn).filter { pupil in
                wanted == Self.nameKey("\(pupil.legalForename) \(pupil.legalSurname)")
                    || wanted == Self.nameKey(pupil.displayName)
            }
            if matches.count == 1 {
                upn = matches[0].upn
                pupilID = try await store.reference.requirePupil(matches[0].upn).id
            }
        }
        let (schoolRow, pupilRow, matched) = (schoolID, pupilID, upn)
        let id = try await store.transaction { db in
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
            try await Store.audit(
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

    /// Entries naming a school that the name-match left unmatched, seen on or after a day, newest first: for the
    /// school to match by hand.
    public func unmatchedPatrolEntries(school laestab: LAESTAB, since day: LocalDate) async throws -> [PatrolEntry] {
        try await patrolEntries(
            where: "s.laestab = \(bind: laestab.description) AND e.seen_on >= \(bind: day.iso) AND p.upn IS NULL")
    }

    /// The pupils on the entry's school's roll the day the child was seen who share a word of the name given
    /// (forename or surname, legal or preferred): suggestions for matching by hand.
    public func patrolSuggestions(_ entry: PatrolEntry) async throws -> [Pupil] {
        guard let school = entry.sighting.school else { return [] }
        let words = Set(Self.nameKey(entry.sighting.nameGiven).split(separator: " ").map(String.init))
        return try await store.reference.onRoll(school, on: entry.sighting.seenOn).filter { pupil in
            let names = [pupil.legalForename, pupil.legalSurname, pupil.preferredForename, pupil.preferredSurname]
            return names.compactMap { $0.map(Self.nameKey) }.contains(where: words.contains)
        }.sorted { ($0.legalSurname, $0.legalForename) < ($1.legalSurname, $1.legalForename) }
    }

    /// The school the entry named matches it by hand to a pupil on its roll the day the child was seen (kept in
    /// `patrol_matches`: the entry itself is never changed). Audited.
    public func matchPatrolEntry(
        _ id: Int, to upn: UPN, school laestab: LAESTAB, by actor: AuditActor, at now: Date = Date()
    ) async throws -> PatrolEntry {
        guard let entry = try await patrolEntries(where: "e.id = \(bind: id)").first,
            entry.sighting.school == laestab
        else { throw StoreError.notFound("patrol entry \(id)") }
        let onRoll = try await store.reference.onRoll(laestab, on: entry.sighting.seenOn).contains { $0.upn == upn }
        do { try PatrolMatchRules.check(entry, pupilOnRoll: onRoll) } catch { throw StoreError.patrolMatch(error) }
        let pupil = try await store.reference.requirePupil(upn)
        try await store.transaction { db in
            // One match per entry: the unique key refuses a second made at the same moment.
            try await db.insert(into: "patrol_matches").columns("entry_id", "pupil_id", "matched_by", "matched_at")
                .values(SQLBind(id), SQLBind(pupil.id), SQLBind(actor.name), SQLBind(Timestamp.text(now))).run()
            try await Store.audit(
                [
                    AuditEvent(
                        at: now, actor: actor, action: "patrol.match", school: laestab, upn: upn,
                        subject: "patrol/\(id)", after: auditJSON(["seen_on": entry.sighting.seenOn.iso]))
                ], on: db)
        }
        guard let matched = try await patrolEntries(where: "e.id = \(bind: id)").first else {
            throw StoreError.corrupt("a patrol entry not kept")
        }
        return matched
    }

    static func nameKey(_ name: String) -> String {
        name.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    private func patrolEntries(where condition: SQLQueryString) async throws -> [PatrolEntry] {
        try await store.sql.raw(
            """
            SELECT e.*, s.laestab, p.upn FROM patrol_entries e LEFT JOIN schools s ON s.id = e.school_id
            LEFT JOIN patrol_matches m ON m.entry_id = e.id
            LEFT JOIN pupils p ON p.id = COALESCE(e.pupil_id, m.pupil_id) WHERE
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

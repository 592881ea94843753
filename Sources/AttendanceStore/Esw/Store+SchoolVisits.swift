import AttendanceCore
import Foundation
import SQLKit

/// A school's list for its ESW's visit: the visit the trend is measured from and the pupils below 92% now.
public struct SchoolVisitListing: Sendable {
    public let lastVisit: SchoolVisit?
    public let lines: [VisitListLine]
}

extension EswRepository {
    /// Records an ESW's visit to a school (who they met, what was agreed), audited.
    public func recordSchoolVisit(
        _ laestab: LAESTAB, on day: LocalDate, metWith: String, notes: String, by actor: AuditActor,
        at now: Date = Date()
    ) async throws -> SchoolVisit {
        let school = try await store.reference.requireSchool(laestab)
        let id = try await store.transaction { db in
            guard
                let id = try await db.insert(into: "school_visits")
                    .columns("school_id", "visited_on", "visited_by", "met_with", "notes", "recorded_at")
                    .values(
                        SQLBind(school.id), SQLBind(day.iso), SQLBind(actor.name), SQLBind(metWith), SQLBind(notes),
                        SQLBind(Timestamp.text(now))
                    ).returning("id").first(decodingColumn: "id", as: Int.self)
            else { throw StoreError.corrupt("a school visit with no id") }
            try await Store.audit(
                [
                    AuditEvent(
                        at: now, actor: actor, action: "esw.visit", school: laestab, upn: nil,
                        subject: "visit/\(id)", after: auditJSON(["visited_on": day.iso]))
                ], on: db)
            return id
        }
        guard let visit = try await schoolVisits(laestab).first(where: { $0.id == id }) else {
            throw StoreError.corrupt("a school visit not kept")
        }
        return visit
    }

    /// A school's visits, newest first.
    public func schoolVisits(_ laestab: LAESTAB) async throws -> [SchoolVisit] {
        try await store.sql.raw(
            """
            SELECT v.* FROM school_visits v JOIN schools s ON s.id = v.school_id
            WHERE s.laestab = \(bind: laestab.description) ORDER BY v.visited_on DESC, v.id DESC
            """
        ).all().map { row in
            guard let day = LocalDate(iso: try row.decode(column: "visited_on", as: String.self)) else {
                throw StoreError.corrupt("a school visit with no day")
            }
            return SchoolVisit(
                id: try row.decode(column: "id", as: Int.self), school: laestab, on: day,
                by: try row.decode(column: "visited_by", as: String.self),
                metWith: try row.decode(column: "met_with", as: String.self),
                notes: try row.decode(column: "notes", as: String.self))
        }
    }

    /// The pupils on the school's roll today below 92% for the school year to today, each with their figure to the
    /// last visit this year, from the register as it stands (corrections since the visit count).
    public func schoolVisitList(_ laestab: LAESTAB, on today: LocalDate) async throws -> SchoolVisitListing {
        let last = SchoolVisitList.lastVisit(try await schoolVisits(laestab), before: today)
        guard let year = DateRange(today.academicYear.firstDay, today) else {
            return SchoolVisitListing(lastVisit: last, lines: [])
        }
        let onRoll = Set(try await store.reference.onRoll(laestab, on: today).map(\.upn))
        let now = try await store.registers.schoolReport(laestab, in: year).filter { onRoll.contains($0.pupil.upn) }
        var then: [UPN: AttendanceSummary] = [:]
        if let last, let before = DateRange(year.start, last.on) {
            for line in try await store.registers.schoolReport(laestab, in: before) {
                then[line.pupil.upn] = line.summary
            }
        }
        return SchoolVisitListing(
            lastVisit: last,
            lines: SchoolVisitList.lines(now: now.map { ($0.pupil, $0.summary) }, atLastVisit: then))
    }
}

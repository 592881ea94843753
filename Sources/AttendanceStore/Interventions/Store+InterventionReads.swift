import AttendanceCore
import Foundation
import SQLKit

extension InterventionRepository {
    /// A school's interventions, the newest first, with their pupils and sessions.
    public func interventions(_ laestab: LAESTAB) async throws -> [Intervention] {
        let school = try await store.reference.requireSchool(laestab)
        return try await read("i.school_id = \(bind: school.id)", schools: [school.id: laestab])
    }

    /// The interventions a pupil has been in, at any school, the newest first.
    public func interventions(of upn: UPN) async throws -> [Intervention] {
        guard let id = try await ReferenceRepository.pupilIDs(for: [upn], on: store.reader)[upn] else { return [] }
        return try await read(
            "i.id IN (SELECT intervention_id FROM intervention_pupils WHERE pupil_id = \(bind: id))",
            schools: try await schoolsByID())
    }

    /// One intervention, if it exists.
    public func intervention(_ id: Int) async throws -> Intervention? {
        try await read("i.id = \(bind: id)", schools: try await schoolsByID()).first
    }

    /// The open mentoring a member of staff leads, at every school.
    public func mentoring(ledBy email: String, today: LocalDate) async throws -> [Intervention] {
        try await read(
            "i.kind = \(bind: Intervention.Kind.mentoring.rawValue) AND i.leader = \(bind: email)",
            schools: try await schoolsByID()
        ).filter { $0.isOpen(on: today) }
    }

    /// Each intervention's impact (`InterventionImpact`), measured over its school year's roll (read once a year):
    /// its pupils against the pupils of the same year group and starting band who were in none of the school's
    /// interventions that year, whoever is looking; nil for one not yet measurable.
    public func impact(_ items: [Intervention], school: School, today: LocalDate) async throws
        -> [Int: InterventionImpact.Measured]
    {
        var result: [Int: InterventionImpact.Measured] = [:]
        guard !items.isEmpty else { return result }
        let calendar = try await store.reference.calendar(for: school)
        let every = try await interventions(school.laestab)
        for year in Set(items.map(\.start.academicYear)) {
            let roll = try await store.registers.rollYears(school.laestab, year: year)
            let touched = Set(every.filter { $0.start.academicYear == year }.flatMap(\.pupils))
            let untouched = Set(roll.map(\.pupil.upn)).subtracting(touched)
            let target = try await store.targets.target(school.laestab, for: year)?.tenths
            for item in items where item.start.academicYear == year {
                guard
                    let windows = InterventionImpact.windows(
                        start: item.start, end: item.end, today: today, calendar: calendar)
                else { continue }
                result[item.id] = InterventionImpact.measure(
                    pupils: Set(item.pupils), roll: roll, untouched: untouched, windows: windows,
                    targetTenths: target, table: store.codes, rules: store.rules)
            }
        }
        return result
    }

    /// The school's workshop programme: its own six topics, or the policy's when it has none.
    public func workshopProgramme(_ laestab: LAESTAB) async throws -> WorkshopProgramme? {
        let school = try await store.reference.requireSchool(laestab)
        let rows = try await store.reader.select().column("week").column("topic").from("workshop_programmes")
            .where("school_id", .equal, school.id).orderBy("week").all()
        guard !rows.isEmpty else { return nil }
        return try? WorkshopProgramme(topics: try rows.map { try $0.decode(column: "topic", as: String.self) })
    }

    /// Keeps a school's six workshop topics in place of the ones before.
    public func setWorkshopProgramme(
        _ programme: WorkshopProgramme, school laestab: LAESTAB, by actor: AuditActor, at now: Date = Date()
    ) async throws {
        let school = try await store.reference.requireSchool(laestab)
        try await store.transaction { db in
            try await db.delete(from: "workshop_programmes").where("school_id", .equal, school.id).run()
            try await db.insertRows(
                into: "workshop_programmes", columns: ["school_id", "week", "topic"],
                rows: programme.topics.enumerated().map { [school.id, $0.offset + 1, $0.element] })
            try await Store.audit(
                [
                    AuditEvent(
                        at: now, actor: actor, action: "intervention.programme", school: laestab,
                        subject: "workshop-programme")
                ], on: db)
        }
    }

    private func schoolsByID() async throws -> [Int: LAESTAB] {
        Dictionary(
            try await store.reference.schools().map { ($0.id, $0.school.laestab) }, uniquingKeysWith: { a, _ in a })
    }

    private func read(_ condition: SQLQueryString, schools: [Int: LAESTAB]) async throws -> [Intervention] {
        let db = store.reader
        let rows = try await db.raw("SELECT i.* FROM interventions i WHERE " + condition + " ORDER BY i.id DESC")
            .all()
        guard !rows.isEmpty else { return [] }
        let ids = try rows.map { try $0.decode(column: "id", as: Int.self) }
        var pupils: [Int: [UPN]] = [:]
        for row in try await db.raw(
            """
            SELECT ip.intervention_id, p.upn FROM intervention_pupils ip JOIN pupils p ON p.id = ip.pupil_id
            WHERE ip.intervention_id IN (\(binds: ids)) ORDER BY p.upn
            """
        ).all() {
            guard let upn = try? UPN(try row.decode(column: "upn", as: String.self)) else {
                throw StoreError.corrupt("an intervention's pupil with no UPN")
            }
            pupils[try row.decode(column: "intervention_id", as: Int.self), default: []].append(upn)
        }
        var came: [Int: Set<UPN>] = [:]
        for row in try await db.raw(
            """
            SELECT a.session_id, p.upn FROM intervention_attendance a JOIN pupils p ON p.id = a.pupil_id
            JOIN intervention_sessions s ON s.id = a.session_id WHERE s.intervention_id IN (\(binds: ids))
            """
        ).all() {
            if let upn = try? UPN(try row.decode(column: "upn", as: String.self)) {
                came[try row.decode(column: "session_id", as: Int.self), default: []].insert(upn)
            }
        }
        var sessions: [Int: [Intervention.Session]] = [:]
        for row in try await db.raw(
            """
            SELECT id, intervention_id, held_on, topic FROM intervention_sessions
            WHERE intervention_id IN (\(binds: ids)) ORDER BY held_on, id
            """
        ).all() {
            let id = try row.decode(column: "id", as: Int.self)
            guard let on = LocalDate(iso: try row.decode(column: "held_on", as: String.self)) else {
                throw StoreError.corrupt("an intervention session with no day")
            }
            sessions[try row.decode(column: "intervention_id", as: Int.self), default: []].append(
                Intervention.Session(
                    id: id, on: on, topic: try row.decode(column: "topic", as: String.self),
                    attended: came[id] ?? []))
        }
        return try rows.map { row in
            let id = try row.decode(column: "id", as: Int.self)
            guard let school = schools[try row.decode(column: "school_id", as: Int.self)],
                let kind = Intervention.Kind(rawValue: try row.decode(column: "kind", as: String.self)),
                let start = LocalDate(iso: try row.decode(column: "start_on", as: String.self))
            else { throw StoreError.corrupt("an intervention that does not read back") }
            return Intervention(
                id: id, school: school, kind: kind, title: try row.decode(column: "title", as: String.self),
                leader: try row.decode(column: "leader", as: String.self), pupils: pupils[id] ?? [], start: start,
                end: try row.decode(column: "end_on", as: String?.self).flatMap { LocalDate(iso: $0) },
                notes: try row.decode(column: "notes", as: String.self), sessions: sessions[id] ?? [],
                createdBy: try row.decode(column: "created_by", as: String.self),
                createdAt: try row.decode(column: "created_at", as: String.self))
        }
    }
}

import AttendanceCore
import AttendanceInterop
import SQLKit

/// A school as stored, with its row id.
public struct StoredSchool: Sendable, Hashable {
    let id: Int
    public let school: School
}

extension ReferenceRepository {
    /// Records a local authority (idempotent: the name is updated).
    public func saveLocalAuthority(laNumber: Int, name: String) async throws {
        try await store.sql.insert(into: "local_authorities").columns("la_number", "name").values(laNumber, name)
            .onConflict(with: ["la_number"]) { $0.set(excludedValueOf: "name") }.run()
    }

    public func localAuthorityName(laNumber: Int) async throws -> String? {
        try await store.sql.select().column("name").from("local_authorities").where("la_number", .equal, laNumber)
            .first(decodingColumn: "name", as: String.self)
    }

    /// Imports schools, all or nothing; a school already there (same LAESTAB) is updated.
    @discardableResult
    public func importSchools(
        _ rows: [Numbered<School>], by actor: AuditActor = AuditActor("import"), source: String? = nil
    ) async throws -> Int {
        var seen: [LAESTAB: Int] = [:]
        var problems: [ImportProblem] = []
        for row in rows {
            if let first = seen[row.value.laestab] {
                problems.append(
                    ImportProblem(line: row.line, "school \(row.value.laestab) is already on line \(first)"))
            }
            seen[row.value.laestab] = row.line
        }
        guard problems.isEmpty else { throw ImportProblems(problems) }
        defer { store.referenceCache.clear() }
        return try await store.transaction { db in
            for row in rows { try await Self.upsert(row.value, on: db) }
            try await Store.referenceChanged(on: db)
            try await Store.audit(
                rows.map {
                    AuditEvent(
                        actor: actor, action: "school.imported", school: $0.value.laestab, subject: source,
                        after: auditJSON([
                            "name": $0.value.name, "phase": $0.value.phase.rawValue,
                            "am": "\($0.value.am.start)-\($0.value.am.close)",
                            "pm": "\($0.value.pm.start)-\($0.value.pm.close)",
                            "esw_area": $0.value.eswArea.map { String($0) } ?? "",
                        ]))
                }, on: db)
            return rows.count
        }
    }

    static func upsert(_ school: School, on db: any SQLDatabase) async throws {
        try await db.insert(into: "schools")
            .columns(
                "la_number", "estab_number", "laestab", "name", "phase", "am_start", "am_close", "pm_start", "pm_close",
                "esw_area"
            )
            .values(
                school.laNumber, school.estabNumber, school.laestab.description, school.name, school.phase.rawValue,
                school.am.start.description, school.am.close.description, school.pm.start.description,
                school.pm.close.description, school.eswArea
            )
            .onConflict(with: ["laestab"]) {
                $0.set(excludedValueOf: "name").set(excludedValueOf: "phase")
                    .set(excludedValueOf: "am_start").set(excludedValueOf: "am_close")
                    .set(excludedValueOf: "pm_start").set(excludedValueOf: "pm_close").set(excludedValueOf: "esw_area")
            }
            .run()
    }

    public func schools() async throws -> [StoredSchool] {
        try await store.referenceData().schools
    }

    public func school(_ laestab: LAESTAB) async throws -> StoredSchool? {
        try await store.referenceData().byLaestab[laestab]
    }

    /// The school, or an error naming the LAESTAB.
    public func requireSchool(_ laestab: LAESTAB) async throws -> StoredSchool {
        guard let school = try await school(laestab) else { throw StoreError.notFound("school \(laestab)") }
        return school
    }

    static func school(from row: any SQLRow) throws -> StoredSchool {
        func time(_ column: String) throws -> TimeOfDay {
            let text = try row.decode(column: column, as: String.self)
            guard let time = TimeOfDay(text: text) else { throw StoreError.corrupt("the register time '\(text)'") }
            return time
        }
        let phaseText = try row.decode(column: "phase", as: String.self)
        guard let phase = School.Phase(rawValue: phaseText),
            let am = try RegisterTimes(start: time("am_start"), close: time("am_close")),
            let pm = try RegisterTimes(start: time("pm_start"), close: time("pm_close"))
        else { throw StoreError.corrupt("a school with an invalid phase or register times") }
        let school = School(
            laNumber: try row.decode(column: "la_number", as: Int.self),
            estabNumber: try row.decode(column: "estab_number", as: Int.self),
            name: try row.decode(column: "name", as: String.self), phase: phase, am: am, pm: pm,
            eswArea: try row.decode(column: "esw_area", as: Int?.self))
        return StoredSchool(id: try row.decode(column: "id", as: Int.self), school: school)
    }
}

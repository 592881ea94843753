import AttendanceCore
import Foundation
import SQLKit

/// Schools' attendance targets for each school year (table `attendance_targets`): the Education Lead proposes one
/// for every school, each head confirms or changes their school's; both are audited.
public struct TargetRepository: Sendable {
    let store: Store
}

extension Store {
    public var targets: TargetRepository { TargetRepository(store: self) }
}

extension TargetRepository {
    /// Every school's target for a school year, by LAESTAB (a school without one is absent).
    public func targets(for year: AcademicYear) async throws -> [LAESTAB: AttendanceTarget] {
        let laestabs = Dictionary(
            uniqueKeysWithValues: try await store.reference.schools().map { ($0.id, $0.school.laestab) })
        var found: [LAESTAB: AttendanceTarget] = [:]
        for row in try await store.reader.select().column("*").from("attendance_targets")
            .where("academic_year", .equal, year.startYear).all()
        {
            guard let school = laestabs[try row.decode(column: "school_id", as: Int.self)],
                let state = AttendanceTarget.State(rawValue: try row.decode(column: "state", as: String.self))
            else { continue }
            found[school] = AttendanceTarget(
                school: school, year: year, tenths: try row.decode(column: "tenths", as: Int.self), state: state,
                by: try row.decode(column: "by", as: String.self), at: try row.decode(column: "at", as: String.self))
        }
        return found
    }

    /// One school's target for a school year, if it has one.
    public func target(_ school: LAESTAB, for year: AcademicYear) async throws -> AttendanceTarget? {
        try await targets(for: year)[school]
    }

    /// The head sets (or confirms) their school's target: whatever stood, proposed or set, is replaced, in one
    /// transaction with its audit line.
    public func setTarget(
        _ school: LAESTAB, for year: AcademicYear, tenths: Int, by actor: AuditActor, at now: Date = Date()
    ) async throws {
        guard AttendanceTarget.allowedTenths.contains(tenths) else { throw StoreError.target(.outOfRange) }
        let stored = try await store.reference.requireSchool(school)
        let stamp = Timestamp.text(now)
        try await store.transaction { db in
            let before = try await db.select().columns("tenths", "state").from("attendance_targets")
                .where("school_id", .equal, stored.id).where("academic_year", .equal, year.startYear).first()
            let row: [any SQLExpression] = [
                SQLBind(stored.id), SQLBind(year.startYear), SQLBind(tenths),
                SQLBind(AttendanceTarget.State.set.rawValue), SQLBind(actor.name), SQLBind(stamp),
            ]
            try await db.insert(into: "attendance_targets")
                .columns("school_id", "academic_year", "tenths", "state", "by", "at").values(row)
                .onConflict(with: ["school_id", "academic_year"]) {
                    $0.set(excludedValueOf: "tenths").set(excludedValueOf: "state").set(excludedValueOf: "by")
                        .set(excludedValueOf: "at")
                }.run()
            try await Store.audit(
                [
                    AuditEvent(
                        at: now, actor: actor, action: "target.set", school: school, subject: year.description,
                        before: try before.map { row in
                            auditJSON([
                                "target": AttendanceTarget.percentText(try row.decode(column: "tenths", as: Int.self)),
                                "state": try row.decode(column: "state", as: String.self),
                            ])
                        }, after: auditJSON(["target": AttendanceTarget.percentText(tenths), "state": "set"]))
                ], on: db)
        }
    }

    /// The Education Lead proposes a target to every school that has none for the year, or only a proposal: a
    /// head's own target is never overwritten (read in the transaction that writes). Returns how many schools
    /// were given the proposal.
    @discardableResult
    public func proposeTargets(
        for year: AcademicYear, tenths: Int, by actor: AuditActor, at now: Date = Date()
    ) async throws -> Int {
        guard AttendanceTarget.allowedTenths.contains(tenths) else { throw StoreError.target(.outOfRange) }
        let schools = try await store.reference.schools()
        let stamp = Timestamp.text(now)
        return try await store.transaction { db in
            let set = Set(
                try await db.select().column("school_id").from("attendance_targets")
                    .where("academic_year", .equal, year.startYear)
                    .where("state", .equal, AttendanceTarget.State.set.rawValue).all()
                    .map { try $0.decode(column: "school_id", as: Int.self) })
            var proposed: [StoredSchool] = []
            for school in schools where !set.contains(school.id) {
                // Only a row written counts: a proposal already standing at the same figure (a second click) is
                // not proposed again.
                let written = try await db.insert(into: "attendance_targets")
                    .columns("school_id", "academic_year", "tenths", "state", "by", "at")
                    .values(
                        SQLBind(school.id), SQLBind(year.startYear), SQLBind(tenths),
                        SQLBind(AttendanceTarget.State.proposed.rawValue), SQLBind(actor.name), SQLBind(stamp)
                    )
                    .onConflict(with: ["school_id", "academic_year"]) {
                        // A head's target set while this ran stays: only a different proposal is replaced.
                        $0.set(excludedValueOf: "tenths").set(excludedValueOf: "by").set(excludedValueOf: "at")
                            .where(
                                SQLColumn("state", table: "attendance_targets"), .equal,
                                SQLBind(AttendanceTarget.State.proposed.rawValue)
                            )
                            .where(
                                SQLColumn("tenths", table: "attendance_targets"), .notEqual,
                                SQLBind(tenths))
                    }.returning("school_id").all()
                if !written.isEmpty { proposed.append(school) }
            }
            let open = proposed
            try await Store.audit(
                open.map {
                    AuditEvent(
                        at: now, actor: actor, action: "target.proposed", school: $0.school.laestab,
                        subject: year.description, after: auditJSON(["target": AttendanceTarget.percentText(tenths)]))
                }, on: db)
            return open.count
        }
    }
}

import AttendanceCore
import Foundation
import SQLKit

/// The groups of pupils a school makes for itself (tables `school_groups`, `school_group_members`), and the group
/// analysis that reads them beside the policy's groups. Every change is audited.
public struct GroupRepository: Sendable {
    let store: Store
}

extension Store {
    public var groups: GroupRepository { GroupRepository(store: self) }
}

extension GroupRepository {
    /// A school's own groups in the order people read them, with their members.
    public func groups(of school: LAESTAB) async throws -> [SchoolGroup] {
        let stored = try await store.reference.requireSchool(school)
        let rows = try await store.reader.raw(
            """
            SELECT g.name, p.upn FROM school_groups g LEFT JOIN school_group_members m ON m.group_id = g.id
            LEFT JOIN pupils p ON p.id = m.pupil_id WHERE g.school_id = \(bind: stored.id)
            """
        ).all()
        var members: [String: Set<UPN>] = [:]
        for row in rows {
            let name = try row.decode(column: "name", as: String.self)
            members[name, default: []].formUnion(
                try row.decode(column: "upn", as: String?.self).flatMap { try? UPN($0) }.map { [$0] } ?? [])
        }
        return members.keys.sorted(by: NaturalOrder.precedes).map { SchoolGroup(name: $0, members: members[$0] ?? []) }
    }

    /// Makes a group with no members, and returns its name as kept. A name the school has already is refused (two clicks make one group).
    @discardableResult
    public func makeGroup(_ school: LAESTAB, name typed: String, by actor: AuditActor, at now: Date = Date())
        async throws -> String
    {
        let name: String
        do { name = try SchoolGroup.name(typed: typed) } catch { throw StoreError.schoolGroup(error) }
        let stored = try await store.reference.requireSchool(school)
        try await store.transaction { db in
            let written = try await db.insert(into: "school_groups")
                .columns("school_id", "name", "created_by", "created_at")
                .values(SQLBind(stored.id), SQLBind(name), SQLBind(actor.name), SQLBind(Timestamp.text(now)))
                .ignoringConflicts(with: ["school_id", "name"]).returning("id").all()
            guard !written.isEmpty else { throw StoreError.schoolGroup(.nameTaken) }
            try await Store.audit(
                [AuditEvent(at: now, actor: actor, action: "group.made", school: school, subject: name)], on: db)
        }
        return name
    }

    /// Sets who of `shown` (the pupils a page listed) is in the group: those in `members` join, the rest of
    /// `shown` leave; anyone not shown is left as they were. Every pupil named must be on the school's roll today.
    /// Returns how many joined and left.
    @discardableResult
    public func setMembers(
        _ school: LAESTAB, group name: String, shown: Set<UPN>, members: Set<UPN>, today: LocalDate,
        by actor: AuditActor, at now: Date = Date()
    ) async throws -> (joined: Int, left: Int) {
        let stored = try await store.reference.requireSchool(school)
        let onRoll = Set(try await store.reference.onRoll(school, on: today).map(\.upn))
        guard shown.union(members).isSubset(of: onRoll) else { throw StoreError.schoolGroup(.notOnRoll) }
        let ids = try await ReferenceRepository.pupilIDs(for: shown.union(members), on: store.sql)
        return try await store.transaction { db in
            guard
                let group = try await db.select().column("id").from("school_groups")
                    .where("school_id", .equal, stored.id).where("name", .equal, name).first()
            else { throw StoreError.schoolGroup(.noSuchGroup) }
            let groupID = try group.decode(column: "id", as: Int.self)
            let before = Set(
                try await db.select().column("pupil_id").from("school_group_members")
                    .where("group_id", .equal, groupID).all().map { try $0.decode(column: "pupil_id", as: Int.self) })
            let wanted = Set(members.compactMap { ids[$0] })
            // Only rows this save wrote or removed are audited: a second click at once writes nothing twice.
            var joining: [Int] = []
            for id in wanted.subtracting(before).sorted() {
                let written = try await db.insert(into: "school_group_members").columns("group_id", "pupil_id")
                    .values(SQLBind(groupID), SQLBind(id)).ignoringConflicts(with: ["group_id", "pupil_id"])
                    .returning("pupil_id").all()
                if !written.isEmpty { joining.append(id) }
            }
            var leaving: [Int] = []
            let leavers = Set(shown.subtracting(members).compactMap { ids[$0] }).intersection(before)
            if !leavers.isEmpty {
                leaving = try await db.delete(from: "school_group_members").where("group_id", .equal, groupID)
                    .where("pupil_id", .in, Array(leavers)).returning("pupil_id").all()
                    .map { try $0.decode(column: "pupil_id", as: Int.self) }.sorted()
            }
            let upns = Dictionary(uniqueKeysWithValues: ids.map { ($0.value, $0.key) })
            try await Store.audit(
                joining.compactMap { upns[$0] }.map {
                    AuditEvent(at: now, actor: actor, action: "group.joined", school: school, upn: $0, subject: name)
                }
                    + leaving.compactMap { upns[$0] }.map {
                        AuditEvent(at: now, actor: actor, action: "group.left", school: school, upn: $0, subject: name)
                    }, on: db)
            return (joining.count, leaving.count)
        }
    }

    /// The school's figures over a period by the policy's groups and its own, each pupil counted only for the
    /// days they were on the school's roll (`schoolReport`).
    public func analysis(_ school: LAESTAB, in range: DateRange) async throws -> GroupAnalysis {
        let (members, names) = try await members(school, in: range)
        return GroupAnalysis.make(members, schoolGroups: names, rules: store.rules)
    }

    /// The pupils one line of the analysis counts (a year group, the pupils with free school meals, a school's own
    /// group), with their figures over the period.
    public func members(
        _ school: LAESTAB, in range: DateRange, breakdown: GroupAnalysis.Breakdown, key: String
    ) async throws -> [GroupAnalysis.Member] {
        let (members, names) = try await members(school, in: range)
        return members.filter { member in
            GroupAnalysis.keys(of: member, schoolGroups: names).contains { $0 == breakdown && $1 == key }
        }
    }

    /// Every pupil of the school's report for the period with the school's own groups they are in, and the names
    /// of those groups: what the analysis and its lines are made from.
    private func members(_ school: LAESTAB, in range: DateRange) async throws -> ([GroupAnalysis.Member], [String]) {
        let lines = try await store.registers.schoolReport(school, in: range)
        let own = try await groups(of: school)
        let members = lines.map { line in
            GroupAnalysis.Member(
                pupil: line.pupil, summary: line.summary,
                schoolGroups: Set(own.filter { $0.members.contains(line.pupil.upn) }.map(\.name)))
        }
        return (members, own.map(\.name))
    }

    /// Every school's analysis over a period, in LAESTAB order (the authority's returns and dashboard).
    public func everySchool(in range: DateRange) async throws -> [(school: School, analysis: GroupAnalysis)] {
        var result: [(school: School, analysis: GroupAnalysis)] = []
        for stored in try await store.reference.schools().sorted(by: { $0.school.laestab < $1.school.laestab }) {
            result.append((stored.school, try await analysis(stored.school.laestab, in: range)))
        }
        return result
    }
}

import AttendanceCore
import AttendanceInterop
import Foundation
import SQLKit

/// A pupil as stored, with row id and enrolments.
public struct StoredPupil: Sendable, Hashable {
    let id: Int
    public let pupil: Pupil
    public let enrolments: [Enrolment]
}

extension ReferenceRepository {
    /// Imports pupils onto a school's roll, all or nothing; a pupil already there (same UPN) is updated,
    /// and an enrolment already there (same school and start date) keeps one row.
    @discardableResult
    public func importPupils(
        _ rows: [Numbered<ImportParser.PupilRow>], school laestab: LAESTAB, by actor: AuditActor = AuditActor("import"),
        source: String? = nil
    ) async throws -> Int {
        let school = try await requireSchool(laestab)
        var seen: [UPN: Int] = [:]
        var problems: [ImportProblem] = []
        for row in rows {
            if let first = seen[row.value.pupil.upn] {
                problems.append(
                    ImportProblem(line: row.line, "upn: \(row.value.pupil.upn) is already on line \(first)"))
            }
            seen[row.value.pupil.upn] = row.line
        }
        guard problems.isEmpty else { throw ImportProblems(problems) }
        // A row's spell on the roll may not overlap another spell of the pupil's at this school (the same spell,
        // by its first day, is updated): a pupil is on a school's roll once at a time.
        for chunk in rows.chunked(500) {
            let before = try await Self.existing(chunk.map(\.value.pupil.upn), schoolID: school.id, on: store.sql)
            for row in chunk {
                let from = row.value.onRollFrom
                let to = row.value.onRollTo
                // An open spell runs on: it overlaps everything after its first day.
                guard
                    let other = before[row.value.pupil.upn]?.enrolments.first(where: { spell in
                        spell.school == laestab && spell.onRollFrom != from
                            && to.map { spell.onRollFrom <= $0 } ?? true
                            && spell.onRollTo.map { from <= $0 } ?? true
                    })
                else { continue }
                problems.append(
                    ImportProblem(
                        line: row.line,
                        "on_roll_from: \(row.value.pupil.upn) is already on the roll of \(laestab) from "
                            + "\(other.onRollFrom)\(other.onRollTo.map { " to \($0)" } ?? ""), which this spell overlaps"
                    ))
            }
        }
        guard problems.isEmpty else { throw ImportProblems(problems) }
        // A row that ends an enrolment open today passes the same guard as a deletion by hand, and goes on the
        // authority's return; a file naming leavers already off the roll (history) does not.
        let ending = try await endingEnrolments(rows, schoolID: school.id)
        for (row, pupilID) in ending {
            let ground = row.value.leavingReason.flatMap(RemovalGround.init(rawValue:))
            let complete = try await store.roll.missingEducationEnquiriesComplete(pupilID: pupilID, on: store.sql)
            do throws(RollRemovalRules.Problem) {
                // Extended absence follows the head's decision on a leave request, on the pupil's page.
                if ground == .extendedAbsence { throw .noExtendedLeaveDecision }
                try RollRemovalRules.check(ground: ground, newSchool: row.value.newSchool, enquiriesComplete: complete)
            } catch {
                problems.append(ImportProblem(line: row.line, Self.refusal(error, upn: row.value.pupil.upn)))
            }
        }
        guard problems.isEmpty else { throw ImportProblems(problems) }
        defer { store.referenceCache.clear() }
        return try await store.transaction { db in
            try await Store.referenceChanged(on: db)
            for (row, pupilID) in ending {
                guard let leaving = row.value.onRollTo else { continue }  // an ending enrolment has its last day
                try await RollRepository.recordDeletion(
                    pupilID: pupilID, schoolID: school.id, upn: row.value.pupil.upn, school: laestab,
                    on: leaving, ground: row.value.leavingReason ?? "", newSchool: row.value.newSchool,
                    by: actor, at: Date(), on: db)
            }
            for chunk in rows.chunked(500) {
                let before = try await Self.existing(chunk.map(\.value.pupil.upn), schoolID: school.id, on: db)
                try await db.insertRows(
                    into: "pupils",
                    columns: [
                        "upn", "legal_surname", "legal_forename", "preferred_surname", "preferred_forename",
                        "date_of_birth", "sex", "year_group", "registration_group", "free_school_meals", "looked_after",
                        "additional_learning_needs",
                    ],
                    rows: chunk.map { row in
                        let p = row.value.pupil
                        return [
                            p.upn.value, p.legalSurname, p.legalForename, p.preferredSurname, p.preferredForename,
                            p.dateOfBirth.iso, p.sex.rawValue, p.yearGroup, p.registrationGroup, p.freeSchoolMeals,
                            p.lookedAfter, p.additionalLearningNeeds,
                        ]
                    }
                ) { builder in
                    builder.onConflict(with: ["upn"]) {
                        $0.set(excludedValueOf: "legal_surname").set(excludedValueOf: "legal_forename")
                            .set(excludedValueOf: "preferred_surname").set(excludedValueOf: "preferred_forename")
                            .set(excludedValueOf: "date_of_birth").set(excludedValueOf: "sex")
                            .set(excludedValueOf: "year_group").set(excludedValueOf: "registration_group")
                            .set(excludedValueOf: "free_school_meals").set(excludedValueOf: "looked_after")
                            .set(excludedValueOf: "additional_learning_needs")
                    }
                }
                let ids = try await Self.pupilIDs(for: chunk.map(\.value.pupil.upn), on: db)
                try await db.insertRows(
                    into: "enrolments",
                    columns: ["pupil_id", "school_id", "on_roll_from", "on_roll_to", "leaving_reason"],
                    rows: chunk.compactMap { row in
                        ids[row.value.pupil.upn].map { id in
                            [
                                id, school.id, row.value.onRollFrom.iso, row.value.onRollTo?.iso,
                                row.value.leavingReason,
                            ] as [SQLValue]
                        }
                    }
                ) { builder in
                    builder.onConflict(with: ["pupil_id", "school_id", "on_roll_from"]) {
                        $0.set(excludedValueOf: "on_roll_to").set(excludedValueOf: "leaving_reason")
                    }
                }
                try await Store.audit(
                    Self.changes(chunk.map(\.value), before: before, school: laestab, actor: actor, source: source),
                    on: db)
            }
            return rows.count
        }
    }

    /// Rows whose `on_roll_to` ends an enrolment at the school that is open now, with the pupil's id.
    private func endingEnrolments(
        _ rows: [Numbered<ImportParser.PupilRow>], schoolID: Int
    ) async throws -> [(Numbered<ImportParser.PupilRow>, Int)] {
        let leaving = rows.filter { $0.value.onRollTo != nil }
        guard !leaving.isEmpty else { return [] }
        let before = try await Self.existing(leaving.map(\.value.pupil.upn), schoolID: schoolID, on: store.sql)
        let ids = try await Self.pupilIDs(for: leaving.map(\.value.pupil.upn), on: store.sql)
        return leaving.compactMap { row in
            let open = before[row.value.pupil.upn]?.enrolments.contains {
                $0.onRollFrom == row.value.onRollFrom && $0.onRollTo == nil
            }
            guard open == true, let id = ids[row.value.pupil.upn] else { return nil }
            return (row, id)
        }
    }

    /// A refused deletion in an import's words, naming the pupil.
    private static func refusal(_ problem: RollRemovalRules.Problem, upn: UPN) -> String {
        let grounds = RemovalGround.allCases.map(\.rawValue).joined(separator: ", ")
        switch problem {
        case .noGround:
            return "leaving_reason: \(upn) cannot come off the roll without a ground (one of \(grounds))"
        case .newSchoolNeeded:
            return "new_laestab: \(upn) admitted elsewhere needs the new school's LAESTAB"
        case .missingEducationEnquiriesOpen:
            return "leaving_reason: \(upn) cannot come off the roll until the authority's Children Missing Education "
                + "enquiries are complete"
        case .noExtendedLeaveDecision:
            return "leaving_reason: \(upn) comes off the roll for extended absence only on the head's decision, "
                + "recorded on the pupil's page"
        }
    }

    /// Pupils and their enrolments at a school as they are before an import, by UPN.
    private static func existing(
        _ upns: [UPN], schoolID: Int, on db: any SQLDatabase
    ) async throws -> [UPN: (pupil: Pupil, enrolments: [Enrolment])] {
        var result: [UPN: (pupil: Pupil, enrolments: [Enrolment])] = [:]
        let rows = try await db.select().column("*").from("pupils").where("upn", .in, upns.map(\.value)).all()
        var byID: [Int: UPN] = [:]
        for row in rows {
            let pupil = try Self.pupil(from: row)
            result[pupil.upn] = (pupil, [])
            byID[try row.decode(column: "id", as: Int.self)] = pupil.upn
        }
        guard !byID.isEmpty else { return result }
        let enrolments = try await db.raw(
            """
            SELECT e.pupil_id, s.laestab, e.on_roll_from, e.on_roll_to, e.leaving_reason FROM enrolments e
            JOIN schools s ON s.id = e.school_id
            WHERE e.school_id = \(bind: schoolID) AND e.pupil_id IN (\(binds: Array(byID.keys)))
            """
        ).all()
        for row in enrolments {
            guard let upn = byID[try row.decode(column: "pupil_id", as: Int.self)] else { continue }
            result[upn]?.enrolments.append(try Self.enrolment(from: row))
        }
        return result
    }

    static func fields(_ p: Pupil) -> [String: String?] {
        [
            "legal_surname": p.legalSurname, "legal_forename": p.legalForename, "preferred_surname": p.preferredSurname,
            "preferred_forename": p.preferredForename, "date_of_birth": p.dateOfBirth.iso, "sex": p.sex.rawValue,
            "year_group": p.yearGroup, "registration_group": p.registrationGroup,
            "free_school_meals": String(p.freeSchoolMeals), "looked_after": String(p.lookedAfter),
            "additional_learning_needs": String(p.additionalLearningNeeds),
        ]
    }

    static func fields(_ e: Enrolment) -> [String: String?] {
        ["on_roll_from": e.onRollFrom.iso, "on_roll_to": e.onRollTo?.iso, "leaving_reason": e.leavingReason]
    }

    /// One audit line for each pupil or enrolment the import creates or changes; nothing for unchanged rows.
    private static func changes(
        _ rows: [ImportParser.PupilRow], before: [UPN: (pupil: Pupil, enrolments: [Enrolment])], school: LAESTAB,
        actor: AuditActor, source: String?
    ) -> [AuditEvent] {
        rows.flatMap { row -> [AuditEvent] in
            let upn = row.pupil.upn
            let old = before[upn]
            let enrolment = Enrolment(
                school: school, onRollFrom: row.onRollFrom, onRollTo: row.onRollTo, leavingReason: row.leavingReason)
            let previous = old?.enrolments.first { $0.onRollFrom == row.onRollFrom }
            return [
                AuditEvent.change(
                    "pupil", old: old.map { fields($0.pupil) }, new: fields(row.pupil), actor: actor, school: school,
                    upn: upn, subject: source),
                AuditEvent.change(
                    "enrolment", old: previous.map(fields), new: fields(enrolment), actor: actor, school: school,
                    upn: upn,
                    subject: source),
            ].compactMap { $0 }
        }
    }

    /// Row ids for UPNs (those not found are absent from the result).
    static func pupilIDs(for upns: some Collection<UPN>, on db: any SQLDatabase) async throws -> [UPN: Int] {
        var ids: [UPN: Int] = [:]
        for chunk in Array(upns).chunked(1000) {
            if db.dialect.name == "sqlite" {
                // One row, not one a pupil (see `yearMarkRows`): a register save asks for thirty.
                let list = try await db.raw(
                    """
                    SELECT group_concat(upn || ' ' || id, ',') AS ids FROM pupils
                    WHERE upn IN (\(binds: chunk.map(\.value)))
                    """
                ).first()?.decode(column: "ids", as: String?.self)
                for pair in (list ?? "").split(separator: ",") {
                    let parts = pair.split(separator: " ")
                    guard parts.count == 2, let id = Int(parts[1]) else {
                        throw StoreError.corrupt("a pupil id that does not read back")
                    }
                    ids[try UPN(String(parts[0]))] = id
                }
                continue
            }
            let rows = try await db.select().columns("id", "upn").from("pupils")
                .where("upn", .in, chunk.map(\.value)).all()
            for row in rows {
                ids[try UPN(try row.decode(column: "upn", as: String.self))] = try row.decode(
                    column: "id", as: Int.self)
            }
        }
        return ids
    }

    public func pupil(_ upn: UPN) async throws -> StoredPupil? {
        guard
            let row = try await store.reader.select().column("*").from("pupils").where("upn", .equal, upn.value).first()
        else {
            return nil
        }
        let id = try row.decode(column: "id", as: Int.self)
        return StoredPupil(id: id, pupil: try Self.pupil(from: row), enrolments: try await enrolments(pupilID: id))
    }

    /// Several pupils by UPN in one query (without their enrolments): for a list that names each.
    public func pupils(_ upns: some Collection<UPN>) async throws -> [UPN: Pupil] {
        guard !upns.isEmpty else { return [:] }
        let rows = try await store.reader.select().column("*").from("pupils")
            .where("upn", .in, Set(upns).map(\.value)).all()
        return Dictionary(
            try rows.map { row in
                let pupil = try Self.pupil(from: row); return (pupil.upn, pupil)
            }
        ) {
            first, _ in first
        }
    }

    /// Several pupils by row id in one query (without their enrolments).
    func pupils(ids: [Int]) async throws -> [Int: Pupil] {
        var result: [Int: Pupil] = [:]
        for chunk in ids.chunked(5000) where !chunk.isEmpty {
            for row in try await store.reader.select().column("*").from("pupils").where("id", .in, Array(chunk)).all() {
                result[try row.decode(column: "id", as: Int.self)] = try Self.pupil(from: row)
            }
        }
        return result
    }

    public func requirePupil(_ upn: UPN) async throws -> StoredPupil {
        guard let pupil = try await pupil(upn) else { throw StoreError.notFound("pupil \(upn)") }
        return pupil
    }

    func enrolments(pupilID: Int) async throws -> [Enrolment] {
        let rows = try await store.reader.raw(
            """
            SELECT s.laestab, e.on_roll_from, e.on_roll_to, e.leaving_reason FROM enrolments e
            JOIN schools s ON s.id = e.school_id WHERE e.pupil_id = \(bind: pupilID) ORDER BY e.on_roll_from
            """
        ).all()
        return try rows.map(Self.enrolment(from:))
    }

    static func enrolment(from row: any SQLRow) throws -> Enrolment {
        guard let laestab = LAESTAB(text: try row.decode(column: "laestab", as: String.self)),
            let from = LocalDate(iso: try row.decode(column: "on_roll_from", as: String.self))
        else { throw StoreError.corrupt("an invalid enrolment") }
        let to = try row.decode(column: "on_roll_to", as: String?.self).flatMap { LocalDate(iso: $0) }
        return Enrolment(
            school: laestab, onRollFrom: from, onRollTo: to,
            leavingReason: try row.decode(column: "leaving_reason", as: String?.self))
    }

    static func pupil(from row: any SQLRow) throws -> Pupil {
        guard let dob = LocalDate(iso: try row.decode(column: "date_of_birth", as: String.self)),
            let sex = Sex(rawValue: try row.decode(column: "sex", as: String.self))
        else { throw StoreError.corrupt("an invalid pupil") }
        return Pupil(
            upn: try UPN(try row.decode(column: "upn", as: String.self)),
            legalSurname: try row.decode(column: "legal_surname", as: String.self),
            legalForename: try row.decode(column: "legal_forename", as: String.self),
            preferredSurname: try row.decode(column: "preferred_surname", as: String?.self),
            preferredForename: try row.decode(column: "preferred_forename", as: String?.self),
            dateOfBirth: dob, sex: sex,
            yearGroup: try row.decode(column: "year_group", as: String.self),
            registrationGroup: try row.decode(column: "registration_group", as: String.self),
            freeSchoolMeals: try row.decode(column: "free_school_meals", as: Bool.self),
            lookedAfter: try row.decode(column: "looked_after", as: Bool.self),
            additionalLearningNeeds: try row.decode(column: "additional_learning_needs", as: Bool.self))
    }

    /// Pupils on a school's roll at any time in a range, with the part of the range they were on roll.
    /// With `group`, only that registration group's pupils (its own roll read, not the whole school's).
    func roll(
        of schoolID: Int, in range: DateRange, group: String? = nil
    ) async throws -> [(id: Int, pupil: Pupil, onRoll: DateRange)] {
        // One form's register reads only its pupils (once, while nothing changes), unless the whole roll is held
        // already: a server taking registers does not hold every school's roll for it.
        let entries: [ReferenceCache.RollEntry]
        if let group {
            let reference = try await store.referenceData()
            let key = ReferenceCache.GroupKey(schoolID: schoolID, group: group)
            if let held = reference.rolls[schoolID] ?? store.referenceCache.groupRoll(key, version: reference.version) {
                entries = held
            } else {
                // Every enrolment of the group's pupils, whatever the dates: the register of any day is filtered
                // from it below, as from a whole school's roll.
                entries = try await readRoll(
                    "e.school_id = \(bind: schoolID) AND p.registration_group = \(bind: group)")
                store.referenceCache.keep(groupRoll: entries, for: key, version: reference.version)
                // The register's save names these pupils by UPN: it finds their ids here rather than asking again.
                store.referenceCache.keep(pupilIDs: entries, version: reference.version)
            }
        } else {
            entries = try await schoolRoll(schoolID)
        }
        return entries.compactMap { entry in
            guard group == nil || entry.pupil.registrationGroup == group,
                let onRoll = DateRange(max(entry.from, range.start), min(entry.to ?? range.end, range.end))
            else { return nil }
            return (entry.id, entry.pupil, onRoll)
        }
    }

    /// Every enrolment at a school with its pupil, in the order a register is printed in: from memory when nothing
    /// has changed (see `ReferenceCache`), otherwise read and kept.
    func schoolRoll(_ schoolID: Int) async throws -> [ReferenceCache.RollEntry] {
        let reference = try await store.referenceData()
        if let held = reference.rolls[schoolID] { return held }
        let entries = try await readRoll("e.school_id = \(bind: schoolID)")
        store.referenceCache.keep(roll: entries, for: schoolID, version: reference.version)
        return entries
    }

    /// The enrolments a condition selects, with their pupils, in register order.
    private func readRoll(_ condition: SQLQueryString) async throws -> [ReferenceCache.RollEntry] {
        let rows = try await store.reader.raw(
            """
            SELECT p.*, e.on_roll_from, e.on_roll_to FROM enrolments e JOIN pupils p ON p.id = e.pupil_id WHERE
            """ + " " + condition
        ).all()
        let entries = try rows.compactMap { row -> ReferenceCache.RollEntry? in
            guard let from = LocalDate(iso: try row.decode(column: "on_roll_from", as: String.self)) else { return nil }
            return ReferenceCache.RollEntry(
                id: try row.decode(column: "id", as: Int.self), pupil: try Self.pupil(from: row), from: from,
                to: try row.decode(column: "on_roll_to", as: String?.self).flatMap { LocalDate(iso: $0) })
        }
        // Year 7 before Year 10 (numerically), then form, then name: the order a register is printed in. The year is
        // read as a number once per pupil, not at every comparison (a register is read for every save).
        return entries.map { (year: Int($0.pupil.yearGroup) ?? 99, entry: $0) }.sorted { a, b in
            if a.year != b.year { return a.year < b.year }
            let (x, y) = (a.entry.pupil, b.entry.pupil)
            if x.registrationGroup != y.registrationGroup { return x.registrationGroup < y.registrationGroup }
            if x.legalSurname != y.legalSurname { return x.legalSurname < y.legalSurname }
            if x.legalForename != y.legalForename { return x.legalForename < y.legalForename }
            return x.upn.value < y.upn.value
        }.map(\.entry)
    }
}

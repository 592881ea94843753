import AttendanceCore
import AttendanceInterop
import Foundation
import SQLKit

/// Lessons (issue 38): a school's timetables from their first days, their lessons and the pupils of each class.
public struct LessonRepository: Sendable {
    let store: Store
}

extension Store {
    public var lessons: LessonRepository { LessonRepository(store: self) }
}

/// A timetable as kept: its cycle, its lessons and its classes' pupils.
public struct StoredTimetable: Sendable, Hashable {
    public let school: LAESTAB
    public let cycle: TimetableCycle
    public let lessons: [TimetableLesson]
    /// Each class's pupils, by UPN.
    public let classes: [String: [UPN]]
    public let importedBy: String
}

extension LessonRepository {
    /// Imports a school's timetable from its first day, all or nothing: the classes' pupils must be on the school's
    /// roll on or after that day, and each class of the class list must have a lesson. A timetable kept for the same
    /// first day is replaced; those of other days stay as they are. The problems found name the class list's lines.
    @discardableResult
    public func importTimetable(
        _ lessons: [Numbered<TimetableLesson>], classes: [Numbered<ClassMember>], school laestab: LAESTAB,
        cycle: TimetableCycle, by actor: AuditActor, source: String? = nil, at now: Date = Date()
    ) async throws -> (lessons: Int, places: Int) {
        let school = try await store.reference.requireSchool(laestab)
        let taught = Set(lessons.map { $0.value.className.lowercased() })
        let onRoll = try await pupilsOnRoll(
            Set(classes.map(\.value.upn)), schoolID: school.id, from: cycle.startsOn)
        var problems: [ImportProblem] = []
        for member in classes {
            if !taught.contains(member.value.className.lowercased()) {
                problems.append(
                    ImportProblem(line: member.line, "class: \(member.value.className) has no lesson in the timetable"))
            }
            if onRoll[member.value.upn] == nil {
                problems.append(
                    ImportProblem(
                        line: member.line,
                        "upn: \(member.value.upn) is not on the roll of \(laestab) on or after \(cycle.startsOn.iso)"))
            }
        }
        guard problems.isEmpty else { throw ImportProblems(problems) }
        // A class is named as the timetable names it, whatever case the class list uses.
        let names = Dictionary(
            lessons.map { ($0.value.className.lowercased(), $0.value.className) },
            uniquingKeysWith: { first, _ in first })
        let stamp = Timestamp.text(now)
        return try await store.transaction { db in
            if let old = try await db.raw(
                """
                SELECT id FROM timetables WHERE school_id = \(bind: school.id) AND starts_on = \(bind: cycle.startsOn.iso)
                """
            ).first()?.decode(column: "id", as: Int.self) {
                for table in ["class_members", "timetable_lessons"] {
                    try await db.raw("DELETE FROM \(ident: table) WHERE timetable_id = \(bind: old)").run()
                }
                try await db.raw("DELETE FROM timetables WHERE id = \(bind: old)").run()
            }
            guard
                let id = try await db.raw(
                    """
                    INSERT INTO timetables (school_id, starts_on, weeks, imported_by, imported_at)
                    VALUES (\(bind: school.id), \(bind: cycle.startsOn.iso), \(bind: cycle.weeks), \(bind: actor.name), \(bind: stamp))
                    RETURNING id
                    """
                ).first()?.decode(column: "id", as: Int.self)
            else { throw StoreError.corrupt("a timetable with no id") }
            try await db.insertRows(
                into: "timetable_lessons",
                columns: [
                    "timetable_id", "class_name", "subject", "cycle_day", "period", "start_time", "end_time", "teacher",
                    "room",
                ],
                rows: lessons.map {
                    let lesson = $0.value
                    return [
                        id, lesson.className, lesson.subject, lesson.cycleDay, lesson.period, lesson.start.description,
                        lesson.end.description, lesson.teacher, lesson.room,
                    ]
                })
            try await db.insertRows(
                into: "class_members", columns: ["timetable_id", "class_name", "pupil_id"],
                rows: classes.compactMap { member in
                    guard let pupil = onRoll[member.value.upn] else { return nil }  // every one checked above
                    return [id, names[member.value.className.lowercased()] ?? member.value.className, pupil]
                })
            try await Store.audit(
                [
                    AuditEvent(
                        at: now, actor: actor, action: "timetable.imported", school: laestab, subject: source,
                        after: auditJSON([
                            "starts_on": cycle.startsOn.iso, "weeks": String(cycle.weeks),
                            "lines": String(lessons.count), "pupils": String(classes.count),
                        ]))
                ], on: db)
            return (lessons.count, classes.count)
        }
    }

    /// The timetable a school follows on a day: the one with the latest first day on or before it.
    public func timetable(school laestab: LAESTAB, on day: LocalDate) async throws -> StoredTimetable? {
        let school = try await store.reference.requireSchool(laestab)
        guard let found = try await inForce(schoolID: school.id, on: day) else { return nil }
        var classes: [String: [UPN]] = [:]
        for (className, upn) in try await members(of: found.id, className: nil) {
            classes[className, default: []].append(upn)
        }
        return StoredTimetable(
            school: laestab, cycle: found.cycle, lessons: try await lessons(of: found.id, where: nil),
            classes: classes, importedBy: found.importedBy)
    }

    /// One lesson of a day by the timetable in force then, with its class's pupils: what a register's save reads
    /// (not the whole timetable).
    func lesson(
        schoolID: Int, on day: LocalDate, className: String, period: Int
    ) async throws -> (lesson: TimetableLesson, pupils: [UPN])? {
        guard let found = try await inForce(schoolID: schoolID, on: day), let cycleDay = found.cycle.day(of: day),
            let lesson = try await lessons(
                of: found.id,
                where: "class_name = \(bind: className) AND cycle_day = \(bind: cycleDay) AND period = \(bind: period)"
            ).first
        else { return nil }
        return (lesson, try await members(of: found.id, className: className).map(\.upn))
    }

    /// The timetable in force at a school on a day.
    func inForce(
        schoolID: Int, on day: LocalDate
    ) async throws -> (id: Int, cycle: TimetableCycle, importedBy: String)? {
        guard
            let row = try await store.reader.raw(
                """
                SELECT id, starts_on, weeks, imported_by FROM timetables
                WHERE school_id = \(bind: schoolID) AND starts_on <= \(bind: day.iso)
                ORDER BY starts_on DESC LIMIT 1
                """
            ).first()
        else { return nil }
        guard let startsOn = LocalDate(iso: try row.decode(column: "starts_on", as: String.self)) else {
            throw StoreError.corrupt("a timetable with an invalid first day")
        }
        return (
            try row.decode(column: "id", as: Int.self),
            try TimetableCycle(weeks: try row.decode(column: "weeks", as: Int.self), startsOn: startsOn),
            try row.decode(column: "imported_by", as: String.self)
        )
    }

    /// A timetable's lessons, or those a condition picks, in the order of the cycle.
    func lessons(of timetable: Int, where condition: SQLQueryString?) async throws -> [TimetableLesson] {
        let picked: SQLQueryString = condition.map { " AND \($0)" } ?? ""
        return try await store.reader.raw(
            """
            SELECT class_name, subject, cycle_day, period, start_time, end_time, teacher, room FROM timetable_lessons
            WHERE timetable_id = \(bind: timetable)\(picked) ORDER BY cycle_day, period, class_name
            """
        ).all().map { lesson in
            guard let start = TimeOfDay(text: try lesson.decode(column: "start_time", as: String.self)),
                let end = TimeOfDay(text: try lesson.decode(column: "end_time", as: String.self))
            else { throw StoreError.corrupt("a lesson with an invalid time") }
            return TimetableLesson(
                className: try lesson.decode(column: "class_name", as: String.self),
                subject: try lesson.decode(column: "subject", as: String.self),
                cycleDay: try lesson.decode(column: "cycle_day", as: Int.self),
                period: try lesson.decode(column: "period", as: Int.self), start: start, end: end,
                teacher: try lesson.decode(column: "teacher", as: String.self),
                room: try lesson.decode(column: "room", as: String?.self))
        }
    }

    /// A timetable's classes' pupils (one class's, when named), by class and UPN.
    func members(of timetable: Int, className: String?) async throws -> [(className: String, upn: UPN)] {
        let picked: SQLQueryString = className.map { " AND m.class_name = \(bind: $0)" } ?? ""
        return try await store.reader.raw(
            """
            SELECT m.class_name, p.upn FROM class_members m JOIN pupils p ON p.id = m.pupil_id
            WHERE m.timetable_id = \(bind: timetable)\(picked) ORDER BY m.class_name, p.upn
            """
        ).all().map {
            (
                try $0.decode(column: "class_name", as: String.self),
                try UPN(try $0.decode(column: "upn", as: String.self))
            )
        }
    }

    /// The pupils with a spell on the school's roll that runs on or after a day, by UPN.
    private func pupilsOnRoll(_ upns: Set<UPN>, schoolID: Int, from day: LocalDate) async throws -> [UPN: Int] {
        var found: [UPN: Int] = [:]
        for chunk in upns.map(\.value).sorted().chunked(1000) {
            for row in try await store.reader.raw(
                """
                SELECT DISTINCT p.id, p.upn FROM pupils p JOIN enrolments e ON e.pupil_id = p.id
                WHERE e.school_id = \(bind: schoolID) AND (e.on_roll_to IS NULL OR e.on_roll_to >= \(bind: day.iso))
                AND p.upn IN (\(binds: Array(chunk)))
                """
            ).all() {
                found[try UPN(try row.decode(column: "upn", as: String.self))] = try row.decode(
                    column: "id", as: Int.self)
            }
        }
        return found
    }
}

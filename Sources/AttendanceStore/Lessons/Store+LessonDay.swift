import AttendanceCore
import Foundation
import SQLKit

/// A lesson on a day, as the timetable in force then gives it, with its cover and its register's state.
public struct LessonOfDay: Sendable, Hashable {
    /// The timetable's row for the lesson: what a lesson register's address names.
    public let id: Int
    public let date: LocalDate
    public let lesson: TimetableLesson
    /// The teacher the office named to cover it that day.
    public let cover: String?
    /// Who saved its register first, and when; nil while it is not taken.
    public let takenBy: String?
    public let takenAt: Date?

    /// Who teaches it that day: the cover, or the timetable's teacher.
    public var teacher: String { cover ?? lesson.teacher }
    /// Everyone who may take its register as its teacher.
    public var teachers: Set<String> { Set([lesson.teacher] + (cover.map { [$0] } ?? [])) }
}

/// What the office or a head of year recorded about a pupil the same-day check named.
public struct SameDayRecord: Sendable, Hashable {
    public let upn: UPN
    public let outcome: SameDayOutcome
    public let note: String?
    public let recordedBy: String
    public let recordedAt: Date
}

extension LessonRepository {
    /// A school's lessons on a day, in period order, each with its cover and whether its register is taken.
    public func lessonsOfDay(school laestab: LAESTAB, on day: LocalDate) async throws -> [LessonOfDay] {
        let school = try await store.reference.requireSchool(laestab)
        return try await lessonsOfDay(schoolID: school.id, on: day, lessonID: nil)
    }

    /// One lesson of a day by its timetable row, with its class's pupils; nil if the timetable in force that day
    /// has no such lesson on that day.
    public func lessonOfDay(
        school laestab: LAESTAB, id: Int, on day: LocalDate
    ) async throws -> (lesson: LessonOfDay, pupils: [UPN])? {
        let school = try await store.reference.requireSchool(laestab)
        guard let timetable = try await inForce(schoolID: school.id, on: day),
            let found = try await lessonsOfDay(schoolID: school.id, on: day, in: timetable, lessonID: id).first
        else { return nil }
        return (found, try await members(of: timetable.id, className: found.lesson.className).map(\.upn))
    }

    private func lessonsOfDay(schoolID: Int, on day: LocalDate, lessonID: Int?) async throws -> [LessonOfDay] {
        guard let timetable = try await inForce(schoolID: schoolID, on: day) else { return [] }
        return try await lessonsOfDay(schoolID: schoolID, on: day, in: timetable, lessonID: lessonID)
    }

    /// The lessons of a day by the timetable in force then (read once by the caller).
    private func lessonsOfDay(
        schoolID: Int, on day: LocalDate, in timetable: (id: Int, cycle: TimetableCycle, importedBy: String),
        lessonID: Int?
    ) async throws -> [LessonOfDay] {
        guard let cycleDay = timetable.cycle.day(of: day) else { return [] }
        let picked: SQLQueryString = lessonID.map { " AND l.id = \(bind: $0)" } ?? ""
        return try await store.reader.raw(
            """
            SELECT l.id, l.class_name, l.subject, l.cycle_day, l.period, l.start_time, l.end_time, l.teacher, l.room,
            c.teacher AS cover, r.taken_by, r.taken_at FROM timetable_lessons l
            LEFT JOIN lesson_covers c ON c.school_id = \(bind: schoolID) AND c.date = \(bind: day.iso)
              AND c.class_name = l.class_name AND c.period = l.period
            LEFT JOIN lesson_registers r ON r.school_id = \(bind: schoolID) AND r.date = \(bind: day.iso)
              AND r.class_name = l.class_name AND r.period = l.period
            WHERE l.timetable_id = \(bind: timetable.id) AND l.cycle_day = \(bind: cycleDay)\(picked)
            ORDER BY l.period, l.class_name
            """
        ).all().map { row in
            guard let start = TimeOfDay(text: try row.decode(column: "start_time", as: String.self)),
                let end = TimeOfDay(text: try row.decode(column: "end_time", as: String.self))
            else { throw StoreError.corrupt("a lesson with an invalid time") }
            return LessonOfDay(
                id: try row.decode(column: "id", as: Int.self), date: day,
                lesson: TimetableLesson(
                    className: try row.decode(column: "class_name", as: String.self),
                    subject: try row.decode(column: "subject", as: String.self),
                    cycleDay: try row.decode(column: "cycle_day", as: Int.self),
                    period: try row.decode(column: "period", as: Int.self), start: start, end: end,
                    teacher: try row.decode(column: "teacher", as: String.self),
                    room: try row.decode(column: "room", as: String?.self)),
                cover: try row.decode(column: "cover", as: String?.self),
                takenBy: try row.decode(column: "taken_by", as: String?.self),
                takenAt: try row.decode(column: "taken_at", as: String?.self).map(Store.date(fromTimestamp:)))
        }
    }

    /// Names a teacher to cover a lesson on a day (an empty email takes the cover away), kept with who and when.
    public func assignCover(
        school laestab: LAESTAB, lessonID: Int, on day: LocalDate, teacher: String, by actor: AuditActor,
        at now: Date = Date()
    ) async throws {
        let school = try await store.reference.requireSchool(laestab)
        guard let found = try await lessonsOfDay(schoolID: school.id, on: day, lessonID: lessonID).first else {
            throw StoreError.notFound("lesson \(lessonID) on \(day.iso)")
        }
        let lesson = found.lesson
        let teacher = teacher.trimmingCharacters(in: .whitespaces).lowercased()
        try await store.transaction { db in
            try await db.raw(
                """
                DELETE FROM lesson_covers WHERE school_id = \(bind: school.id) AND date = \(bind: day.iso)
                AND class_name = \(bind: lesson.className) AND period = \(bind: lesson.period)
                """
            ).run()
            if !teacher.isEmpty {
                try await db.raw(
                    """
                    INSERT INTO lesson_covers (school_id, date, class_name, period, teacher, assigned_by, assigned_at)
                    VALUES (\(bind: school.id), \(bind: day.iso), \(bind: lesson.className), \(bind: lesson.period),
                    \(bind: teacher), \(bind: actor.name), \(bind: Timestamp.text(now)))
                    """
                ).run()
            }
            try await Store.audit(
                [
                    AuditEvent(
                        at: now, actor: actor, action: teacher.isEmpty ? "lesson.cover_removed" : "lesson.covered",
                        school: laestab, subject: lesson.className,
                        after: auditJSON(["on": day.iso, "period": String(lesson.period), "teacher": teacher]))
                ], on: db)
        }
    }

    /// How many minutes after a lesson's end its register may still be taken at a school.
    public func graceMinutes(school laestab: LAESTAB) async throws -> Int {
        let school = try await store.reference.requireSchool(laestab)
        return try await store.reader.raw(
            "SELECT grace_minutes FROM lesson_settings WHERE school_id = \(bind: school.id)"
        ).first()?.decode(column: "grace_minutes", as: Int.self) ?? LessonRules.defaultGraceMinutes
    }

    /// Sets a school's grace (within `LessonWindow.graceRange`).
    public func setGraceMinutes(
        _ minutes: Int, school laestab: LAESTAB, by actor: AuditActor, at now: Date = Date()
    ) async throws {
        guard LessonWindow.graceRange.contains(minutes) else { throw StoreError.notFound("a grace of \(minutes)") }
        let school = try await store.reference.requireSchool(laestab)
        let stamp = Timestamp.text(now)
        try await store.transaction { db in
            try await db.raw("DELETE FROM lesson_settings WHERE school_id = \(bind: school.id)").run()
            try await db.raw(
                """
                INSERT INTO lesson_settings (school_id, grace_minutes, changed_by, changed_at)
                VALUES (\(bind: school.id), \(bind: minutes), \(bind: actor.name), \(bind: stamp))
                """
            ).run()
            try await Store.audit(
                [
                    AuditEvent(
                        at: now, actor: actor, action: "lesson.grace_set", school: laestab,
                        after: auditJSON(["minutes": String(minutes)]))
                ], on: db)
        }
    }

    /// Records what was found about a pupil the same-day check named on a day.
    public func recordSameDay(
        _ outcome: SameDayOutcome, upn: UPN, school laestab: LAESTAB, on day: LocalDate, note: String?,
        by actor: AuditActor, at now: Date = Date()
    ) async throws {
        let school = try await store.reference.requireSchool(laestab)
        guard let pupil = try await ReferenceRepository.pupilIDs(for: [upn], on: store.reader)[upn] else {
            throw StoreError.notFound("pupil \(upn)")
        }
        let note = note.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        let postgres = store.location.isPostgres
        try await store.transaction { db in
            // Two clicks of one form record one finding: the pupil's row is locked on PostgreSQL (SQLite writes one
            // transaction at a time), and the same finding by the same person just recorded is not written again.
            if postgres {
                try await db.raw("SELECT id FROM pupils WHERE id = \(bind: pupil) FOR UPDATE").run()
            }
            if let last = try await db.raw(
                """
                SELECT outcome, note, recorded_by FROM same_day_checks WHERE school_id = \(bind: school.id)
                AND pupil_id = \(bind: pupil) AND date = \(bind: day.iso) ORDER BY id DESC LIMIT 1
                """
            ).first(),
                try last.decode(column: "outcome", as: String.self) == outcome.rawValue,
                try last.decode(column: "note", as: String?.self) == note,
                try last.decode(column: "recorded_by", as: String.self) == actor.name
            {
                return
            }
            try await db.raw(
                """
                INSERT INTO same_day_checks (school_id, pupil_id, date, outcome, note, recorded_by, recorded_at)
                VALUES (\(bind: school.id), \(bind: pupil), \(bind: day.iso), \(bind: outcome.rawValue), \(bind: note),
                \(bind: actor.name), \(bind: Timestamp.text(now)))
                """
            ).run()
            try await Store.audit(
                [
                    AuditEvent(
                        at: now, actor: actor, action: "same_day.recorded", school: laestab, upn: upn,
                        after: auditJSON(["on": day.iso, "outcome": outcome.rawValue]))
                ], on: db)
        }
    }

    /// What was recorded about the pupils of a school's same-day check on a day, oldest first.
    public func sameDayRecords(school laestab: LAESTAB, on day: LocalDate) async throws -> [SameDayRecord] {
        let school = try await store.reference.requireSchool(laestab)
        return try await store.reader.raw(
            """
            SELECT p.upn, s.outcome, s.note, s.recorded_by, s.recorded_at FROM same_day_checks s
            JOIN pupils p ON p.id = s.pupil_id
            WHERE s.school_id = \(bind: school.id) AND s.date = \(bind: day.iso) ORDER BY s.id
            """
        ).all().map { row in
            guard let outcome = SameDayOutcome(rawValue: try row.decode(column: "outcome", as: String.self)) else {
                throw StoreError.corrupt("a same-day check with an unknown outcome")
            }
            return SameDayRecord(
                upn: try UPN(try row.decode(column: "upn", as: String.self)), outcome: outcome,
                note: try row.decode(column: "note", as: String?.self),
                recordedBy: try row.decode(column: "recorded_by", as: String.self),
                recordedAt: Store.date(fromTimestamp: try row.decode(column: "recorded_at", as: String.self)))
        }
    }

    /// A pupil's lesson marks over a span of days, at any school, in date and period order.
    public func lessonMarks(of upn: UPN, in range: DateRange) async throws -> [PupilLessonMark] {
        try await store.reader.raw(
            """
            SELECT r.date, r.subject, r.period, m.code FROM lesson_marks m
            JOIN lesson_registers r ON r.id = m.lesson_register_id JOIN pupils p ON p.id = m.pupil_id
            WHERE p.upn = \(bind: upn.value) AND r.date >= \(bind: range.start.iso) AND r.date <= \(bind: range.end.iso)
            ORDER BY r.date, r.period
            """
        ).all().map { row in
            guard let date = LocalDate(iso: try row.decode(column: "date", as: String.self)),
                let code = LessonCode(rawValue: try row.decode(column: "code", as: String.self))
            else { throw StoreError.corrupt("a lesson mark with an unknown code or date") }
            return PupilLessonMark(
                date: date, subject: try row.decode(column: "subject", as: String.self),
                period: try row.decode(column: "period", as: Int.self), code: code)
        }
    }
}

import AttendanceCore
import Foundation
import SQLKit

/// What a lesson register's save did.
public struct LessonWriteResult: Sendable, Hashable {
    public var inserted = 0
    public var amended = 0
    public var unchanged = 0
}

/// A lesson mark as recorded: the mark, who and when.
public struct RecordedLessonMark: Sendable, Hashable {
    public let mark: LessonMark
    public let recordedBy: String
    public let recordedAt: Date
}

extension LessonRepository {
    /// The lessons a school has on a day by the timetable in force then, in the order of their periods.
    public func lessons(school laestab: LAESTAB, on day: LocalDate) async throws -> [TimetableLesson] {
        guard let timetable = try await timetable(school: laestab, on: day),
            let cycleDay = timetable.cycle.day(of: day)
        else { return [] }
        return timetable.lessons.filter { $0.cycleDay == cycleDay }.sorted {
            ($0.period, $0.className) < ($1.period, $1.className)
        }
    }

    /// Saves a lesson's register on a day: the lesson and its class as the timetable in force that day gives them,
    /// the marks checked by `LessonRules`, new marks kept, a changed mark kept with its old entry, who, when and
    /// why (a change needs a reason). A lesson mark never writes a session's mark. Whether the register is open at
    /// this moment is the caller's to judge (`LessonRules.isOpen`).
    @discardableResult
    public func saveLessonRegister(
        school laestab: LAESTAB, on day: LocalDate, className: String, period: Int, marks: [LessonMark],
        by actor: AuditActor, reason: String?, at now: Date = Date()
    ) async throws -> LessonWriteResult {
        let school = try await store.reference.requireSchool(laestab)
        guard
            let (lesson, pupils) = try await self.lesson(
                schoolID: school.id, on: day, className: className, period: period)
        else { throw StoreError.notFound("the lesson \(className) period \(period) on \(day.iso)") }
        let classList = Set(pupils)
        do throws(LessonRules.Problem) {
            try LessonRules.check(marks, classList: classList, start: lesson.start, end: lesson.end)
        } catch { throw StoreError.lesson(error) }
        let ids = try await ReferenceRepository.pupilIDs(for: Array(classList), on: store.reader)
        // The register names who taught the lesson that day: the cover the office named, or the timetable's teacher.
        let teacher =
            try await store.reader.raw(
                """
                SELECT teacher FROM lesson_covers WHERE school_id = \(bind: school.id) AND date = \(bind: day.iso)
                AND class_name = \(bind: className) AND period = \(bind: period)
                """
            ).first()?.decode(column: "teacher", as: String.self) ?? lesson.teacher
        let stamp = Timestamp.text(now)
        let reason = reason.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        let postgres = store.location.isPostgres
        return try await store.transaction { db in
            try await db.raw(
                """
                INSERT INTO lesson_registers (school_id, date, class_name, period, subject, start_time, end_time,
                teacher, taken_by, taken_at) VALUES (\(bind: school.id), \(bind: day.iso), \(bind: className),
                \(bind: period), \(bind: lesson.subject), \(bind: lesson.start.description),
                \(bind: lesson.end.description), \(bind: teacher), \(bind: actor.name), \(bind: stamp))
                ON CONFLICT DO NOTHING
                """
            ).run()
            // The register's row, locked on PostgreSQL: two saves of one lesson (the teacher and cover) take turns.
            let lock: SQLQueryString = postgres ? " FOR UPDATE" : ""
            guard
                let registerID = try await db.raw(
                    """
                    SELECT id FROM lesson_registers WHERE school_id = \(bind: school.id) AND date = \(bind: day.iso)
                    AND class_name = \(bind: className) AND period = \(bind: period)\(lock)
                    """
                ).first()?.decode(column: "id", as: Int.self)
            else { throw StoreError.corrupt("a lesson register with no id") }
            var existing: [Int: (id: Int, code: String, minutes: Int?, by: String, at: String)] = [:]
            for row in try await db.raw(
                """
                SELECT id, pupil_id, code, minutes_late, recorded_by, recorded_at FROM lesson_marks
                WHERE lesson_register_id = \(bind: registerID)
                """
            ).all() {
                existing[try row.decode(column: "pupil_id", as: Int.self)] = (
                    try row.decode(column: "id", as: Int.self), try row.decode(column: "code", as: String.self),
                    try row.decode(column: "minutes_late", as: Int?.self),
                    try row.decode(column: "recorded_by", as: String.self),
                    try row.decode(column: "recorded_at", as: String.self)
                )
            }
            var result = LessonWriteResult()
            var inserts: [[SQLValue]] = []
            for mark in marks {
                guard let pupil = ids[mark.upn] else { throw StoreError.notFound("pupil \(mark.upn)") }
                guard let old = existing[pupil] else {
                    inserts.append([registerID, pupil, mark.code.rawValue, mark.minutesLate, actor.name, stamp])
                    result.inserted += 1
                    continue
                }
                if old.code == mark.code.rawValue && old.minutes == mark.minutesLate {
                    result.unchanged += 1
                    continue
                }
                guard let reason else { throw StoreError.lesson(.needReason(mark.upn)) }
                try await db.raw(
                    """
                    INSERT INTO lesson_mark_amendments (lesson_mark_id, old_code, old_minutes_late, old_recorded_by,
                    old_recorded_at, new_code, new_minutes_late, changed_by, changed_at, reason) VALUES
                    (\(bind: old.id), \(bind: old.code), \(bind: old.minutes), \(bind: old.by), \(bind: old.at),
                    \(bind: mark.code.rawValue), \(bind: mark.minutesLate), \(bind: actor.name), \(bind: stamp),
                    \(bind: reason))
                    """
                ).run()
                try await db.raw(
                    """
                    UPDATE lesson_marks SET code = \(bind: mark.code.rawValue), minutes_late = \(bind: mark.minutesLate),
                    recorded_by = \(bind: actor.name), recorded_at = \(bind: stamp) WHERE id = \(bind: old.id)
                    """
                ).run()
                result.amended += 1
            }
            try await db.insertRows(
                into: "lesson_marks",
                columns: ["lesson_register_id", "pupil_id", "code", "minutes_late", "recorded_by", "recorded_at"],
                rows: inserts)
            if result.inserted + result.amended > 0 {
                try await Store.audit(
                    [
                        AuditEvent(
                            at: now, actor: actor, action: "lesson_marks.recorded", school: laestab, subject: className,
                            after: auditJSON([
                                "on": day.iso, "period": String(period), "marks_new": String(result.inserted),
                                "marks_changed": String(result.amended),
                            ]), reason: reason)
                    ], on: db)
            }
            return result
        }
    }

    /// A lesson register's marks on a day, by pupil.
    public func lessonMarks(
        school laestab: LAESTAB, on day: LocalDate, className: String, period: Int
    ) async throws -> [UPN: RecordedLessonMark] {
        let school = try await store.reference.requireSchool(laestab)
        var marks: [UPN: RecordedLessonMark] = [:]
        for row in try await store.reader.raw(
            """
            SELECT p.upn, m.code, m.minutes_late, m.recorded_by, m.recorded_at FROM lesson_marks m
            JOIN lesson_registers r ON r.id = m.lesson_register_id JOIN pupils p ON p.id = m.pupil_id
            WHERE r.school_id = \(bind: school.id) AND r.date = \(bind: day.iso) AND r.class_name = \(bind: className)
            AND r.period = \(bind: period)
            """
        ).all() {
            let upn = try UPN(try row.decode(column: "upn", as: String.self))
            guard let code = LessonCode(rawValue: try row.decode(column: "code", as: String.self)) else {
                throw StoreError.corrupt("a lesson mark with an unknown code")
            }
            marks[upn] = RecordedLessonMark(
                mark: LessonMark(
                    upn: upn, code: code, minutesLate: try row.decode(column: "minutes_late", as: Int?.self)),
                recordedBy: try row.decode(column: "recorded_by", as: String.self),
                recordedAt: Store.date(fromTimestamp: try row.decode(column: "recorded_at", as: String.self)))
        }
        return marks
    }

    /// The same-day check for a school's day (`SameDayCheck`): the lesson marks of the pupils missing from any
    /// lesson that day, against their session marks.
    public func sameDayCheck(school laestab: LAESTAB, on day: LocalDate) async throws -> [SameDayConcern] {
        let school = try await store.reference.requireSchool(laestab)
        let sql = store.reader
        let rows = try await sql.raw(
            """
            SELECT m.pupil_id, p.upn, m.code, r.class_name, r.subject, r.period, r.start_time, r.teacher
            FROM lesson_marks m JOIN lesson_registers r ON r.id = m.lesson_register_id JOIN pupils p ON p.id = m.pupil_id
            WHERE r.school_id = \(bind: school.id) AND r.date = \(bind: day.iso) AND m.pupil_id IN (
              SELECT m2.pupil_id FROM lesson_marks m2 JOIN lesson_registers r2 ON r2.id = m2.lesson_register_id
              WHERE r2.school_id = \(bind: school.id) AND r2.date = \(bind: day.iso) AND m2.code = 'N')
            """
        ).all()
        var lessons: [UPN: [MarkedLesson]] = [:]
        var pupilIDs: [Int: UPN] = [:]
        for row in rows {
            let upn = try UPN(try row.decode(column: "upn", as: String.self))
            pupilIDs[try row.decode(column: "pupil_id", as: Int.self)] = upn
            guard let code = LessonCode(rawValue: try row.decode(column: "code", as: String.self)),
                let start = TimeOfDay(text: try row.decode(column: "start_time", as: String.self))
            else { throw StoreError.corrupt("a lesson mark with an unknown code or time") }
            lessons[upn, default: []].append(
                MarkedLesson(
                    lesson: CheckedLesson(
                        className: try row.decode(column: "class_name", as: String.self),
                        subject: try row.decode(column: "subject", as: String.self),
                        period: try row.decode(column: "period", as: Int.self), start: start,
                        teacher: try row.decode(column: "teacher", as: String.self)),
                    code: code))
        }
        guard !lessons.isEmpty else { return [] }
        var sessions: [UPN: [SessionHalf: AttendanceCode]] = [:]
        for entry in try await store.recordedMarks(
            pupils: Array(pupilIDs.keys), in: DateRange(start: day, notBefore: day), on: sql)
        {
            guard let upn = pupilIDs[entry.pupilID], let code = store.codes[entry.code] else { continue }
            sessions[upn, default: [:]][entry.session.half] = code
        }
        return SameDayCheck.concerns(
            lessons.map { PupilLessonDay(upn: $0.key, lessons: $0.value) }, sessionCodes: sessions,
            afternoonStarts: school.school.pm.start)
    }
}

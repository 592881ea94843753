import AttendanceCore
import AttendanceInterop
import Foundation
import SQLKit

extension LessonRepository {
    /// Imports lesson registers taken in another system (a term's, moving from a school's previous MIS), all or
    /// nothing: each lesson is the timetable's in force on its day, each pupil one of its class, and no lesson
    /// already has a register here. The problems found name the file's lines. Like every lesson mark, these never
    /// write a session's mark.
    @discardableResult
    public func importLessonMarks(
        _ rows: [Numbered<ImportedLessonMark>], school laestab: LAESTAB, by actor: AuditActor, source: String? = nil,
        at now: Date = Date()
    ) async throws -> (registers: Int, marks: Int) {
        guard let first = rows.first else { return (0, 0) }
        let school = try await store.reference.requireSchool(laestab)
        var timetables:
            [Int: (cycle: TimetableCycle, lessons: [String: TimetableLesson], classes: [String: Set<UPN>])] =
                [:]
        var inForce: [LocalDate: Int?] = [:]
        var problems: [ImportProblem] = []
        /// Each lesson register of the file, by its day, class (as the timetable names it) and period.
        struct Key: Hashable {
            let date: LocalDate
            let className: String
            let period: Int
        }
        var registers: [Key: (lesson: TimetableLesson, line: Int, takenBy: String, marks: [LessonMark])] = [:]
        for row in rows {
            let line = row.line, item = row.value
            if inForce[item.date] == nil {
                let found = try await self.inForce(schoolID: school.id, on: item.date)
                inForce[item.date] = .some(found?.id)
                if let found, timetables[found.id] == nil {
                    var classes: [String: Set<UPN>] = [:]
                    for (className, upn) in try await members(of: found.id, className: nil) {
                        classes[className.lowercased(), default: []].insert(upn)
                    }
                    var lessons: [String: TimetableLesson] = [:]
                    for lesson in try await self.lessons(of: found.id, where: nil) {
                        lessons["\(lesson.cycleDay)|\(lesson.className.lowercased())|\(lesson.period)"] = lesson
                    }
                    timetables[found.id] = (found.cycle, lessons, classes)
                }
            }
            guard let id = inForce[item.date] ?? nil, let timetable = timetables[id],
                let cycleDay = timetable.cycle.day(of: item.date),
                let lesson = timetable.lessons["\(cycleDay)|\(item.className.lowercased())|\(item.period)"]
            else {
                problems.append(
                    ImportProblem(
                        line: line,
                        "class: \(item.className) has no lesson in period \(item.period) on \(item.date.iso) by the timetable in force"
                    ))
                continue
            }
            guard timetable.classes[item.className.lowercased()]?.contains(item.mark.upn) == true else {
                problems.append(ImportProblem(line: line, "upn: \(item.mark.upn) is not in \(lesson.className)"))
                continue
            }
            let length = lesson.end.minutesSinceMidnight - lesson.start.minutesSinceMidnight
            if let minutes = item.mark.minutesLate, minutes > max(1, length) {
                problems.append(
                    ImportProblem(line: line, "minutes_late: \(minutes) is longer than the lesson (\(length) minutes)"))
                continue
            }
            let key = Key(date: item.date, className: lesson.className, period: lesson.period)
            registers[key, default: (lesson, line, item.takenBy ?? actor.name, [])].marks.append(item.mark)
        }
        // A lesson that already has its register here is not imported over.
        let days = rows.map(\.value.date)
        let (from, to) = (days.min() ?? first.value.date, days.max() ?? first.value.date)
        for row in try await store.reader.raw(
            """
            SELECT date, class_name, period FROM lesson_registers WHERE school_id = \(bind: school.id)
            AND date >= \(bind: from.iso) AND date <= \(bind: to.iso)
            """
        ).all() {
            guard let date = LocalDate(iso: try row.decode(column: "date", as: String.self)) else { continue }
            let key = Key(
                date: date, className: try row.decode(column: "class_name", as: String.self),
                period: try row.decode(column: "period", as: Int.self))
            if let found = registers[key] {
                problems.append(
                    ImportProblem(
                        line: found.line,
                        "class: \(key.className) period \(key.period) on \(key.date.iso) already has its register"))
            }
        }
        guard problems.isEmpty else { throw ImportProblems(problems) }
        let ids = try await ReferenceRepository.pupilIDs(for: Array(Set(rows.map(\.value.mark.upn))), on: store.reader)
        let stamp = Timestamp.text(now)
        let ordered = registers.sorted {
            ($0.key.date, $0.key.className, $0.key.period) < ($1.key.date, $1.key.className, $1.key.period)
        }
        return try await store.transaction { db in
            try await db.insertRows(
                into: "lesson_registers",
                columns: [
                    "school_id", "date", "class_name", "period", "subject", "start_time", "end_time", "teacher",
                    "taken_by", "taken_at",
                ],
                rows: ordered.map { key, register in
                    [
                        school.id, key.date.iso, key.className, key.period, register.lesson.subject,
                        register.lesson.start.description, register.lesson.end.description, register.lesson.teacher,
                        register.takenBy, stamp,
                    ]
                })
            var registerIDs: [Key: Int] = [:]
            for row in try await db.raw(
                """
                SELECT id, date, class_name, period FROM lesson_registers WHERE school_id = \(bind: school.id)
                AND date >= \(bind: from.iso) AND date <= \(bind: to.iso)
                """
            ).all() {
                guard let date = LocalDate(iso: try row.decode(column: "date", as: String.self)) else { continue }
                registerIDs[
                    Key(
                        date: date, className: try row.decode(column: "class_name", as: String.self),
                        period: try row.decode(column: "period", as: Int.self))] = try row.decode(
                        column: "id", as: Int.self)
            }
            var marks: [[SQLValue]] = []
            for (key, register) in ordered {
                guard let registerID = registerIDs[key] else {
                    throw StoreError.corrupt("a lesson register not written")
                }
                for mark in register.marks {
                    guard let pupil = ids[mark.upn] else { throw StoreError.notFound("pupil \(mark.upn)") }
                    marks.append([registerID, pupil, mark.code.rawValue, mark.minutesLate, register.takenBy, stamp])
                }
            }
            try await db.insertRows(
                into: "lesson_marks",
                columns: ["lesson_register_id", "pupil_id", "code", "minutes_late", "recorded_by", "recorded_at"],
                rows: marks)
            try await Store.audit(
                [
                    AuditEvent(
                        at: now, actor: actor, action: "lesson_marks.imported", school: laestab, subject: source,
                        after: auditJSON([
                            "from": from.iso, "to": to.iso, "registers": String(ordered.count),
                            "marks_new": String(marks.count),
                        ]))
                ], on: db)
            return (ordered.count, marks.count)
        }
    }
}

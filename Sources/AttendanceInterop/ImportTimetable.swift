import AttendanceCore

extension ImportParser {
    /// A timetable's lessons for a cycle of `weeks` weeks: a class is in one lesson at a time (its day and period once),
    /// and a lesson ends after it starts.
    public static func timetable(_ text: String, weeks: Int) throws(ImportProblems) -> [Numbered<TimetableLesson>] {
        let format = ImportFormat.timetable
        let table = try Table(csv: text, required: format.requiredColumns, optional: format.optionalColumns)
        var taken: [String: Int] = [:]
        let lessons = try table.rows { row -> Numbered<TimetableLesson>? in
            let className = row.required("class"), subject = row.required("subject")
            // A cycle is one or two weeks (`TimetableCycle`); any other number reads as the nearer of them.
            let day = row.int("day", in: 1...(5 * min(max(weeks, 1), 2)))
            let period = row.int("period", in: 1...12)
            let start = row.time("start"), end = row.time("end")
            let teacher = row.required("teacher")
            if let teacher, !teacher.contains("@") { row.fail("teacher", "'\(teacher)' is not an email address") }
            guard let className, let subject, let day, let period, let start, let end, let teacher else { return nil }
            guard end > start else {
                row.fail("end", "the lesson ends at \(end), before it starts at \(start)")
                return nil
            }
            let slot = "\(className.lowercased())|\(day)|\(period)"
            if let first = taken[slot] {
                row.fail("period", "\(className) already has period \(period) of day \(day) on line \(first)")
                return nil
            }
            taken[slot] = row.line
            return Numbered(
                line: row.line,
                value: TimetableLesson(
                    className: className, subject: subject, cycleDay: day, period: period, start: start, end: end,
                    teacher: teacher.lowercased(), room: row.optionalText("room")))
        }
        return lessons
    }

    /// The pupils of each class: a pupil once in a class.
    public static func classes(_ text: String) throws(ImportProblems) -> [Numbered<ClassMember>] {
        let format = ImportFormat.classes
        let table = try Table(csv: text, required: format.requiredColumns, optional: format.optionalColumns)
        var seen: [String: Int] = [:]
        return try table.rows { row -> Numbered<ClassMember>? in
            let className = row.required("class")
            let upn = row.upn()
            guard let className, let upn else { return nil }
            let key = "\(className.lowercased())|\(upn.value)"
            if let first = seen[key] {
                row.fail("upn", "\(upn) is already in \(className) on line \(first)")
                return nil
            }
            seen[key] = row.line
            return Numbered(line: row.line, value: ClassMember(className: className, upn: upn))
        }
    }

    /// Lesson registers taken in another system: each line one pupil's mark in one lesson of a day (the lesson named
    /// by its class and period, as the timetable in force that day gives it), a pupil once in a lesson, minutes only
    /// for a late mark. Whether the lesson and the pupil are the timetable's is the store's to check.
    public static func lessonMarks(_ text: String) throws(ImportProblems) -> [Numbered<ImportedLessonMark>] {
        let format = ImportFormat.lessonMarks
        let table = try Table(csv: text, required: format.requiredColumns, optional: format.optionalColumns)
        var seen: [String: Int] = [:]
        return try table.rows { row -> Numbered<ImportedLessonMark>? in
            let date = row.date("date"), className = row.required("class")
            let period = row.int("period", in: 1...12)
            let upn = row.upn()
            var code: LessonCode?
            if let text = row.required("code") {
                code = LessonCode(rawValue: text.uppercased())
                if code == nil { row.fail("code", "'\(text)' is not a lesson mark (/, L, N, V or S)") }
            }
            let minutes = row.optionalInt("minutes_late", in: 1...600)
            let takenBy = row.optionalText("taken_by")
            guard let date, let className, let period, let upn, let code, let minutes else { return nil }
            if (code == .late) != (minutes != nil) {
                row.fail(
                    "minutes_late", code == .late ? "a late mark needs its minutes" : "minutes are for a late mark")
                return nil
            }
            let key = "\(date.iso)|\(className.lowercased())|\(period)|\(upn.value)"
            if let first = seen[key] {
                row.fail(
                    "upn", "\(upn) already has a mark in \(className) period \(period) on \(date.iso) on line \(first)")
                return nil
            }
            seen[key] = row.line
            return Numbered(
                line: row.line,
                value: ImportedLessonMark(
                    date: date, className: className, period: period,
                    mark: LessonMark(upn: upn, code: code, minutesLate: minutes), takenBy: takenBy))
        }
    }
}

/// One line of a lesson marks import: a pupil's mark in a lesson of a day, and who took the register.
public struct ImportedLessonMark: Sendable, Hashable {
    public let date: LocalDate
    public let className: String
    public let period: Int
    public let mark: LessonMark
    public let takenBy: String?

    public init(date: LocalDate, className: String, period: Int, mark: LessonMark, takenBy: String?) {
        self.date = date
        self.className = className
        self.period = period
        self.mark = mark
        self.takenBy = takenBy
    }
}

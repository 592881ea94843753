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
            let day = row.int("day", in: 1...(5 * weeks))
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
}

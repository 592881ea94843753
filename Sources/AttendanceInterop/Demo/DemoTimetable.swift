import AttendanceCore

/// A demo secondary school's timetable and lesson registers (issue 38): a one-week cycle from the school year's
/// first day, each registration group taught as a class, six lessons a day (four in the morning, two after the
/// afternoon register); and lesson registers for the last school days before the demo's day, taken as a teacher
/// would: a pupil absent from the session is absent from its lessons, and now and then a pupil registered this
/// morning is missing from a lesson, sometimes two in a row, for the same-day check to find.
public struct DemoTimetable: Sendable {
    public let cycle: TimetableCycle
    public let lessons: [TimetableLesson]
    public let classes: [ClassMember]
    /// Lesson registers taken: the day, the class, the period and each pupil's mark.
    public let registers: [(day: LocalDate, className: String, period: Int, marks: [LessonMark])]

    /// The demo teacher's email: their account (`DemoAccounts`) takes the registers of the first form's lessons.
    public static let teacher = "teacher@demo.example"
    /// The school days before the demo's day with lesson registers.
    public static let daysWithRegisters = 5

    /// The subjects as a Welsh-medium school names them (the demo's schools are Welsh), each with its code.
    static let subjects = [
        ("Ma", "Mathemateg"), ("Cy", "Cymraeg"), ("Sa", "Saesneg"), ("Gw", "Gwyddoniaeth"), ("Ha", "Hanes"),
        ("Da", "Daearyddiaeth"), ("Ce", "Cerddoriaeth"), ("AG", "Addysg Gorfforol"),
    ]
    static let periods: [(start: String, end: String)] = [
        ("09:15", "10:05"), ("10:05", "10:55"), ("11:10", "12:00"), ("12:00", "12:50"), ("13:45", "14:35"),
        ("14:35", "15:25"),
    ]

    /// The timetable and registers of a secondary school's demo data, or nil for another school.
    /// - Parameter days: how many school days before `until` have lesson registers (the benchmark asks for a term's).
    public init?(
        _ data: DemoAuthority.SchoolData, until: LocalDate, calendar: SchoolCalendar, seed: UInt64,
        days wanted: Int = daysWithRegisters
    ) {
        guard data.school.phase == .secondary else { return nil }
        let year = until.academicYear
        guard let cycle = try? TimetableCycle(weeks: 1, startsOn: year.firstDay) else { return nil }
        self.cycle = cycle
        let current = data.pupils.filter { $0.onRollTo == nil }
        let groups = Dictionary(grouping: current, by: \.pupil.registrationGroup)
        var lessons: [TimetableLesson] = []
        var classes: [ClassMember] = []
        for (index, group) in groups.keys.sorted(by: NaturalOrder.precedes).enumerated() {
            for day in 1...5 {
                for (period, times) in Self.periods.enumerated() {
                    let (code, subject) = Self.subjects[(index + day * 3 + period) % Self.subjects.count]
                    let teacher = index == 0 ? Self.teacher : "\(code.lowercased())@demo.example"
                    guard let start = TimeOfDay(text: times.start), let end = TimeOfDay(text: times.end) else {
                        continue
                    }
                    lessons.append(
                        TimetableLesson(
                            className: "\(group)/\(code)", subject: subject, cycleDay: day, period: period + 1,
                            start: start, end: end, teacher: teacher, room: "\(code)\(index + 1)"))
                }
            }
            let taught = Set(lessons.filter { $0.className.hasPrefix("\(group)/") }.map(\.className))
            for className in taught.sorted() {
                classes += (groups[group] ?? []).map { ClassMember(className: className, upn: $0.pupil.upn) }
            }
        }
        self.lessons = lessons
        self.classes = classes
        // The registers of the last school days before the demo's day.
        var days: [LocalDate] = []
        var day = until.adding(days: -1)
        while days.count < wanted && day >= cycle.startsOn {
            if calendar.isSchoolDay(day) { days.append(day) }
            day = day.adding(days: -1)
        }
        var sessions: [UPN: [SchoolSession: String]] = [:]
        let wanted = Set(days)
        for mark in data.marks where wanted.contains(mark.session.date) {
            sessions[mark.upn, default: [:]][mark.session] = mark.code
        }
        var random = SplitMix64(seed: seed ^ 0x1E55_0E5)
        var registers: [(day: LocalDate, className: String, period: Int, marks: [LessonMark])] = []
        let members = Dictionary(grouping: classes, by: \.className).mapValues { $0.map(\.upn) }
        for day in days.sorted() {
            guard let cycleDay = cycle.day(of: day) else { continue }
            // Who slips away today, and from which lesson on (two in a row for some).
            var away: [UPN: (from: Int, lessons: Int)] = [:]
            for pupil in current where random.unit() < 0.015 {
                away[pupil.pupil.upn] = (
                    Int(random.next() % UInt64(Self.periods.count)) + 1, random.unit() < 0.4 ? 2 : 1
                )
            }
            for lesson in lessons where lesson.cycleDay == cycleDay {
                let half: SessionHalf = lesson.start >= data.school.pm.start ? .pm : .am
                let marks: [LessonMark] = (members[lesson.className] ?? []).map { upn in
                    guard let code = sessions[upn]?[SchoolSession(day, half)] else {
                        return LessonMark(upn: upn, code: .absent)
                    }
                    let registered = CodeTable.wales2010[code].map(LessonRules.onSiteAtRegistration) ?? false
                    if !registered { return LessonMark(upn: upn, code: .absent) }
                    if let spell = away[upn], (spell.from..<(spell.from + spell.lessons)).contains(lesson.period) {
                        return LessonMark(upn: upn, code: .absent)
                    }
                    if random.unit() < 0.01 { return LessonMark(upn: upn, code: .withStaff) }
                    if random.unit() < 0.02 {
                        return LessonMark(upn: upn, code: .late, minutesLate: Int(random.next() % 10) + 1)
                    }
                    return LessonMark(upn: upn, code: .present)
                }
                registers.append((day, lesson.className, lesson.period, marks))
            }
        }
        self.registers = registers
    }
}

import AttendanceCore
import Testing

/// Lessons' rules beyond the register's marks (issue 38): who takes a lesson's register, when, and the figures a
/// pupil's lessons give.
@Suite struct LessonAccessAndFiguresTests {
    let school = LAESTAB(la: 665, estab: 4001)
    let other = LAESTAB(la: 665, estab: 2001)
    func day(_ iso: String) -> LocalDate { LocalDate(iso: iso)! }
    func time(_ text: String) -> TimeOfDay { TimeOfDay(text: text)! }

    func lesson(_ teachers: Set<String>, at school: LAESTAB? = nil) -> AccessTarget {
        .lesson(LessonPlacement(school: school ?? self.school, teachers: teachers))
    }

    @Test func aTeacherTakesTheirOwnLessonsAndTheirCoverOnlyAndNeverSeesAPupilsRecord() {
        let teacher = [RoleGrant(role: .teacher, school: school)]
        let own = lesson(["r.hughes@school.example"])
        #expect(AccessPolicy.allows(teacher, .takeLesson, own, user: "R.Hughes@School.example"))
        #expect(!AccessPolicy.allows(teacher, .takeLesson, own, user: "e.price@school.example"))
        // Named to cover: the lesson's teachers that day include them.
        #expect(
            AccessPolicy.allows(
                teacher, .takeLesson, lesson(["r.hughes@school.example", "e.price@school.example"]),
                user: "e.price@school.example"))
        // Another school's lesson with the same teacher's email: not theirs here.
        #expect(
            !AccessPolicy.allows(
                teacher, .takeLesson, lesson(["r.hughes@school.example"], at: other), user: "r.hughes@school.example"))
        // No email, no lesson.
        #expect(!AccessPolicy.allows(teacher, .takeLesson, own))
        // A class list, never the record: no pupil's page, no school figures, no session register.
        let pupil = AccessTarget.pupil(
            PupilPlacement(
                upn: UPN.make(la: 665, estab: 4001, year: 26, serial: 1),
                enrolments: [Enrolment(school: school, onRollFrom: day("2026-09-01"))], yearGroup: "7",
                registrationGroup: "7A", asOf: day("2026-11-25")))
        #expect(!AccessPolicy.allows(teacher, .viewPupil, pupil, user: "r.hughes@school.example"))
        #expect(!AccessPolicy.allows(teacher, .viewSchoolFigures, .school(school), user: "r.hughes@school.example"))
        #expect(!AccessPolicy.allows(teacher, .checkLessons, .school(school), user: "r.hughes@school.example"))
        #expect(AccessPolicy.allows(teacher, .takeLesson, .none))
    }

    @Test func theOfficeTakesAnyLessonOfItsSchoolAndTheHeadOfYearChecksButNeitherTheLead() {
        let office = [RoleGrant(role: .attendanceAdministrator, school: school)]
        #expect(AccessPolicy.allows(office, .takeLesson, lesson(["someone@school.example"])))
        #expect(!AccessPolicy.allows(office, .takeLesson, lesson(["someone@school.example"], at: other)))
        let hoy = [RoleGrant(role: .headOfYear, school: school, yearGroups: ["7"])]
        #expect(AccessPolicy.allows(hoy, .checkLessons, .school(school)))
        #expect(!AccessPolicy.allows(hoy, .takeLesson, lesson(["someone@school.example"])))
        let lead = [RoleGrant(role: .educationLead)]
        #expect(!AccessPolicy.allows(lead, .takeLesson, lesson(["someone@school.example"])))
        #expect(!AccessPolicy.allows(lead, .checkLessons, .school(school)))
        // A teacher who is also a head of year: each grant judged on its own.
        let both = [
            RoleGrant(role: .teacher, school: school), RoleGrant(role: .headOfYear, school: school, yearGroups: ["7"]),
        ]
        #expect(AccessPolicy.allows(both, .checkLessons, .school(school), user: "t@school.example"))
        #expect(AccessPolicy.allows(both, .takeLesson, lesson(["t@school.example"]), user: "t@school.example"))
        #expect(!AccessPolicy.allows(both, .takeLesson, lesson(["u@school.example"]), user: "t@school.example"))
    }

    @Test func theTeacherTakesTheRegisterFromTheStartUntilTheGraceAndTheOfficeAfter() {
        let (start, end) = (time("11:30"), time("12:30"))
        func state(_ date: String, _ now: String, grace: Int = 30) -> LessonWindow.State {
            LessonWindow.state(
                day: day("2026-11-23"), start: start, end: end, now: (day(date), time(now)), graceMinutes: grace)
        }
        #expect(state("2026-11-23", "11:29") == .notYet)
        #expect(state("2026-11-23", "11:30") == .open)
        #expect(state("2026-11-23", "13:00") == .open)
        #expect(state("2026-11-23", "13:01") == .closed)
        #expect(state("2026-11-23", "12:31", grace: 0) == .closed)
        #expect(state("2026-11-22", "23:59") == .notYet)
        #expect(state("2026-11-24", "00:00") == .closed)
        #expect(!LessonWindow.mayTake(.notYet, by: .office))
        #expect(LessonWindow.mayTake(.open, by: .teacher))
        #expect(!LessonWindow.mayTake(.closed, by: .teacher))
        #expect(LessonWindow.mayTake(.closed, by: .office))
    }

    @Test func lessonsAddUpBySubjectAndASubjectOrPeriodMissedThreeTimesIsAPattern() {
        var marks: [PupilLessonMark] = []
        let monday = day("2026-11-02")
        for week in 0..<4 {
            let date = monday.adding(days: 7 * week)
            marks.append(PupilLessonMark(date: date, subject: "Hanes", period: 5, code: week < 3 ? .absent : .present))
            marks.append(PupilLessonMark(date: date, subject: "Cymraeg", period: 1, code: week == 0 ? .late : .present))
            marks.append(PupilLessonMark(date: date, subject: "Cerddoriaeth", period: 2, code: .withStaff))
        }
        marks.append(PupilLessonMark(date: monday, subject: "Mathemateg", period: 5, code: .absent))
        let lines = LessonFigures.bySubject(marks)
        #expect(lines.map(\.subject) == ["Cerddoriaeth", "Cymraeg", "Hanes", "Mathemateg"])
        let history = lines[2]
        #expect(history.lessons == 4 && history.attended == 1 && history.missed == 3 && history.elsewhere == 0)
        #expect(history.attendedTenths == 250)
        #expect(lines[0].elsewhere == 4 && lines[0].attendedTenths == 0)
        #expect(lines[1].attendedTenths == 1000)
        // History missed three times, period 5 four times (History's three and Maths once); Maths alone is not.
        #expect(LessonFigures.patterns(marks) == [.subject("Hanes", missed: 3), .period(5, missed: 4)])
        #expect(LessonFigures.patterns(Array(marks.prefix(6))) == [])
    }
}

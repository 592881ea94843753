import AttendanceCore
import AttendanceInterop
import Foundation
import Testing
import VaporTesting

@testable import AttendanceStore
@testable import AttendanceWeb

/// Lesson registers at the web (issue 38): the teacher's register within its window, cover, the office's lessons
/// page and timetable upload, the same-day check with what was found, and the pupil page's lessons.
@Suite struct LessonWebTests {
    static let teacher = DemoTimetable.teacher
    static let at1140: @Sendable (inout WebConfiguration) -> Void = { $0.time = TimeOfDay(text: "11:40") }

    /// The demo teacher's lesson of a period today, and its class's pupils.
    static func teachersLesson(_ store: Store, period: Int) async throws -> (lesson: LessonOfDay, pupils: [UPN]) {
        let lesson = try #require(
            try await store.lessons.lessonsOfDay(school: mainSchool, on: testToday).first {
                $0.lesson.teacher == teacher && $0.lesson.period == period
            })
        return try #require(try await store.lessons.lessonOfDay(school: mainSchool, id: lesson.id, on: testToday))
    }

    /// The morning register of the pupils' form taken: all present.
    static func morningPresent(_ store: Store, _ pupils: [UPN]) async throws {
        try await store.registers.writeMarks(
            pupils.map {
                SchoolMark(
                    school: mainSchool, mark: Mark(upn: $0, session: SchoolSession(testToday, .am), code: "/"),
                    expected: .noMark)
            }, by: AuditActor("tutor@demo.example"), reason: nil)
    }

    @Test(arguments: WebTestDatabase.available)
    func theTeacherTakesPeriodThreeAndTheOfficeFindsThePupilOnTheSameDayCheck(database: WebTestDatabase) async throws {
        try await withWebApp(on: database, adjusting: Self.at1140) { app, store in
            let (lesson, pupils) = try await Self.teachersLesson(store, period: 3)
            try await Self.morningPresent(store, pupils)
            let away = pupils[1]
            var teacher = try await Browser.signedIn(app, as: .teacher)
            let list = try await teacher.get("/lessons").body.string
            let path = SiteURL.lessonRegister(mainSchool, date: testToday, id: lesson.id)
            #expect(list.contains(path))
            let page = try await teacher.get(path)
            #expect(page.status == .ok && page.body.string.contains("save-lesson"))
            var form: [String: String] = [:]
            for upn in pupils { form["mark-\(upn.value)"] = "present" }
            form["mark-\(away.value)"] = "absent"
            form["mark-\(pupils[2].value)"] = "late"
            form["late-\(pupils[2].value)"] = "6"
            let saved = try await teacher.post(path, form)
            #expect(saved.status == .seeOther)
            let marks = try await store.lessons.lessonMarks(
                school: mainSchool, on: testToday, className: lesson.lesson.className, period: 3)
            #expect(marks.count == pupils.count && marks[away]?.mark.code == .absent)
            #expect(marks[pupils[2]]?.mark.minutesLate == 6 && marks[away]?.recordedBy == Self.teacher)
            // The session's mark is the register's still.
            let day = DateRange(testToday, testToday)!
            #expect(try await store.registers.marks(of: away, in: day).map(\.mark.code) == ["/"])
            // Changing a mark needs a reason: the page again, nothing changed.
            form["mark-\(away.value)"] = "staff"
            let unexplained = try await teacher.post(path, form)
            #expect(unexplained.status == .conflict)
            #expect(unexplained.body.string.contains("needs a reason"))
            // The teacher sees no pupil's record, and no other teacher's lesson.
            #expect(try await teacher.get(SiteURL.pupil(away)).status == .forbidden)
            #expect(try await teacher.get(SiteURL.school(.sameDayCheck, mainSchool)).status == .forbidden)

            var office = try await Browser.signedIn(app, as: .attendanceAdministrator)
            let check = try await office.get(SiteURL.school(.sameDayCheck, mainSchool)).body.string
            #expect(check.contains("same-day-\(away.value)"))
            #expect(check.contains("Period 3") && check.contains("Huw Jenkins"))
            for upn in pupils where upn != away { #expect(!check.contains("same-day-\(upn.value)")) }
            let recorded = try await office.post(
                SiteURL.school(.sameDayCheck, mainSchool),
                ["upn": away.value, "date": testToday.iso, "outcome": "found_on_site", "note": "In the library"])
            #expect(recorded.status == .seeOther)
            // The same form clicked twice at once: one finding.
            let desk = office
            let twice = try await ConcurrentDecisionTests.atOnce(2) { _ in
                try await ConcurrentDecisionTests.post(
                    app, as: desk, SiteURL.school(.sameDayCheck, mainSchool),
                    ["upn": away.value, "date": testToday.iso, "outcome": "found_on_site", "note": "In the library"])
            }
            #expect(twice == [.seeOther, .seeOther])
            let after = try await office.get(SiteURL.school(.sameDayCheck, mainSchool)).body.string
            #expect(after.contains("Found on site, recorded by Carys Ellis"))
            #expect(
                try await store.lessons.sameDayRecords(school: mainSchool, on: testToday).map(\.outcome) == [
                    .foundOnSite
                ])
            // Left site: the afternoon's mark is due, to be taken on the register (the lesson never writes it).
            try await office.post(
                SiteURL.school(.sameDayCheck, mainSchool),
                ["upn": away.value, "date": testToday.iso, "outcome": "left_site", "note": ""])
            let due = try await office.get(SiteURL.school(.sameDayCheck, mainSchool)).body.string
            #expect(
                due.contains("the afternoon register's mark is due")
                    || due.contains("the afternoon register&#39;s mark is due"))
            #expect(try await store.registers.marks(of: away, in: day).map(\.mark.code) == ["/"])
            // The head of year sees the pupil (Year 7 is theirs); a pupil of another school is not recorded here.
            var hoy = try await Browser.signedIn(app, as: .headOfYear)
            #expect(try await hoy.get(SiteURL.school(.sameDayCheck, mainSchool)).body.string.contains(away.value))
            let elsewhere = try await store.reference.onRoll(otherSchool, on: testToday)[0].upn
            #expect(
                try await office.post(
                    SiteURL.school(.sameDayCheck, mainSchool),
                    ["upn": elsewhere.value, "date": testToday.iso, "outcome": "found_on_site"]
                ).status == .notFound)
        }
    }

    @Test func theRegisterOpensAtTheLessonsStartAndClosesAfterTheGraceButTheOfficeMayStillCorrectIt() async throws {
        try await withWebApp(adjusting: { $0.time = TimeOfDay(text: "13:01") }) { app, store in
            let (lesson, pupils) = try await Self.teachersLesson(store, period: 3)  // 11:10–12:00
            let path = SiteURL.lessonRegister(mainSchool, date: testToday, id: lesson.id)
            var teacher = try await Browser.signedIn(app, as: .teacher)
            let closed = try await teacher.get(path).body.string
            #expect(!closed.contains("save-lesson") && closed.contains("Closed"))
            let refused = try await teacher.post(path, ["mark-\(pupils[0].value)": "present"])
            #expect(refused.status == .unprocessableEntity)
            #expect(
                try await store.lessons.lessonMarks(
                    school: mainSchool, on: testToday, className: lesson.lesson.className, period: 3
                ).isEmpty)
            // The school gives an hour and a half's grace: open again.
            try await store.lessons.setGraceMinutes(90, school: mainSchool, by: AuditActor("office@demo.example"))
            #expect(try await teacher.post(path, ["mark-\(pupils[0].value)": "present"]).status == .seeOther)
            try await store.lessons.setGraceMinutes(0, school: mainSchool, by: AuditActor("office@demo.example"))
            // A lesson not yet begun is nobody's to take.
            let (later, laterPupils) = try await Self.teachersLesson(store, period: 5)  // 13:45
            var office = try await Browser.signedIn(app, as: .attendanceAdministrator)
            let laterPath = SiteURL.lessonRegister(mainSchool, date: testToday, id: later.id)
            #expect(
                try await office.post(laterPath, ["mark-\(laterPupils[0].value)": "present"]).status
                    == .unprocessableEntity)
            // The office corrects a closed register, with a reason.
            #expect(
                try await office.post(path, ["mark-\(pupils[0].value)": "visit", "reason": "On the trip"]).status
                    == .seeOther)
            // A late mark without its minutes, or longer than the lesson, is refused naming it.
            let late = try await office.post(path, ["mark-\(pupils[1].value)": "late"])
            #expect(late.status == .unprocessableEntity && late.body.string.contains("error-\(pupils[1].value)"))
            let tooLate = try await office.post(
                path, ["mark-\(pupils[1].value)": "late", "late-\(pupils[1].value)": "61"])
            #expect(tooLate.status == .unprocessableEntity && tooLate.body.string.contains("error-\(pupils[1].value)"))
            // Past days are bounded like every date from outside.
            #expect(try await office.get("/lessons/\(mainSchool)/1800-01-01/\(lesson.id)").status == .badRequest)
            #expect(try await office.get("/lessons/\(mainSchool)/2026-02-30/\(lesson.id)").status == .badRequest)
        }
    }

    @Test func theOfficeNamesCoverAndTheCoverTakesTheRegister() async throws {
        try await withWebApp(adjusting: Self.at1140) { app, store in
            let other = try #require(
                try await store.lessons.lessonsOfDay(school: mainSchool, on: testToday).first {
                    $0.lesson.teacher != Self.teacher && $0.lesson.period == 3
                })
            let path = SiteURL.lessonRegister(mainSchool, date: testToday, id: other.id)
            var teacher = try await Browser.signedIn(app, as: .teacher)
            #expect(try await teacher.get(path).status == .forbidden)
            var office = try await Browser.signedIn(app, as: .attendanceAdministrator)
            try await office.get(SiteURL.school(.schoolLessons, mainSchool))
            let covered = try await office.post(
                SiteURL.school(.lessonCover, mainSchool),
                ["date": testToday.iso, "lesson": String(other.id), "teacher": Self.teacher.uppercased()])
            #expect(covered.status == .seeOther)
            #expect(try await teacher.get(path).status == .ok)
            #expect(try await teacher.get("/lessons").body.string.contains("You are covering this lesson"))
            let pupils = try #require(
                try await store.lessons.lessonOfDay(school: mainSchool, id: other.id, on: testToday)
            ).pupils
            #expect(try await teacher.post(path, ["mark-\(pupils[0].value)": "present"]).status == .seeOther)
            // The register names who taught it that day.
            #expect(
                try await store.lessons.sameDayCheck(school: mainSchool, on: testToday).isEmpty)
            // Taken away again: not theirs.
            try await office.post(
                SiteURL.school(.lessonCover, mainSchool),
                ["date": testToday.iso, "lesson": String(other.id), "teacher": ""])
            #expect(try await teacher.get(path).status == .forbidden)
            // A teacher who is not an email is refused naming the field.
            #expect(
                try await office.post(
                    SiteURL.school(.lessonCover, mainSchool),
                    ["date": testToday.iso, "lesson": String(other.id), "teacher": "Mr Jones"]
                ).status == .unprocessableEntity)
        }
    }

    @Test func theMissingLessonRegistersNameTheirTeachers() async throws {
        try await withWebApp(adjusting: Self.at1140) { app, store in
            var office = try await Browser.signedIn(app, as: .attendanceAdministrator)
            let page = try await office.get(SiteURL.school(.schoolLessons, mainSchool)).body.string
            let start = try #require(page.range(of: "id=\"missing\"")).upperBound
            let end = try #require(page[start...].range(of: "<h2")).lowerBound
            let missing = String(page[start..<end])
            // At 11:40 period 1 (09:15–10:05) is past its grace and untaken; period 3 runs now.
            let lessons = try await store.lessons.lessonsOfDay(school: mainSchool, on: testToday)
            let first = try #require(lessons.first { $0.lesson.period == 1 && $0.lesson.teacher == Self.teacher })
            #expect(missing.contains(first.lesson.className) && missing.contains("Huw Jenkins"))
            let other = try #require(lessons.first { $0.lesson.period == 1 && $0.lesson.teacher != Self.teacher })
            #expect(missing.contains(other.lesson.teacher))
            #expect(!missing.contains("Period 3 ·"))
        }
    }

    @Test func aTimetableWithABadLineIsRefusedNamingItAndNothingIsWritten() async throws {
        try await withWebApp { app, store in
            var office = try await Browser.signedIn(app, as: .attendanceAdministrator)
            try await office.get(SiteURL.school(.schoolLessons, mainSchool))
            let pupil = try await store.reference.onRoll(mainSchool, on: testToday)[0].upn
            let header = "class,subject,day,period,start,end,teacher,room\n"
            let bad =
                header + "10X/Ma1,Mathemateg,1,3,11:05,12:05,r.hughes@demo.example,M4\n"
                + "10X/Ma1,Mathemateg,2,3,11:05,10:05,r.hughes@demo.example,M4\n"
            let classes = "class,upn\n10X/Ma1,\(pupil.value)\n"
            let before = try await store.lessons.timetable(school: mainSchool, on: LocalDate(iso: "2026-12-01")!)
            let refused = try await office.upload(
                SiteURL.school(.timetable, mainSchool),
                files: [
                    ("timetable", "timetable.csv", Data(bad.utf8)), ("classes", "classes.csv", Data(classes.utf8)),
                ],
                fields: ["from": "2026-12-01", "weeks": "1"])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("timetable.csv, line 3"))
            #expect(refused.body.string.contains("Nothing was imported"))
            #expect(try await store.lessons.timetable(school: mainSchool, on: LocalDate(iso: "2026-12-01")!) == before)
            let good = header + "10X/Ma1,Mathemateg,1,3,11:05,12:05,r.hughes@demo.example,M4\n"
            let imported = try await office.upload(
                SiteURL.school(.timetable, mainSchool),
                files: [
                    ("timetable", "timetable.csv", Data(good.utf8)), ("classes", "classes.csv", Data(classes.utf8)),
                ],
                fields: ["from": "2026-12-01", "weeks": "1"])
            #expect(imported.status == .seeOther)
            let now = try #require(
                try await store.lessons.timetable(school: mainSchool, on: LocalDate(iso: "2026-12-01")!))
            #expect(now.lessons.count == 1 && now.classes["10X/Ma1"] == [pupil])
            // The timetable before it still holds for the days before.
            #expect(try await store.lessons.timetable(school: mainSchool, on: testToday)?.lessons.count ?? 0 > 1)
            let page = try await office.get(SiteURL.school(.timetable, mainSchool, query: ["date": "2026-12-01"]))
            #expect(page.body.string.contains("10X/Ma1"))
        }
    }

    @Test func aSubjectMissedRepeatedlyShowsInThePupilsPatternsAndNeverInTheirPercentage() async throws {
        try await withWebApp { app, store in
            var head = try await Browser.signedIn(app, as: .headTeacher)
            let (lesson, pupils) = try await Self.teachersLesson(store, period: 2)
            let pupil = pupils[0]
            let before = try await head.get(SiteURL.pupil(pupil)).body.string
            let percent = try #require(
                before.range(of: #"\d+\.\d%"#, options: .regularExpression).map { String(before[$0]) })
            // The same subject's lesson on three days, missed each time (the office records them after the lessons).
            var missed = 0
            var day = testToday
            while missed < 3 {
                day = day.adding(days: -1)
                guard
                    let found = try await store.lessons.lessonsOfDay(school: mainSchool, on: day).first(where: {
                        $0.lesson.className == lesson.lesson.className
                    })
                else { continue }
                try await store.lessons.saveLessonRegister(
                    school: mainSchool, on: day, className: found.lesson.className, period: found.lesson.period,
                    marks: [LessonMark(upn: pupil, code: .absent)], by: AuditActor("office@demo.example"),
                    reason: "Corrected")
                missed += 1
            }
            let page = try await head.get(SiteURL.pupil(pupil)).body.string
            #expect(page.contains("Lessons by subject"))
            #expect(
                page.contains("absent from 3 lessons this term") || page.contains("absent from 4 lessons this term")
                    || page.contains("absent from 5 lessons this term"))
            #expect(page.contains(percent))
            // The parent's view shows the session figures alone.
            var parent = try await Browser.signedIn(app, as: .parent)
            let child = try #require(try await store.identity.user(email: "parent@demo.example")?.grants[0].child)
            #expect(!(try await parent.get(SiteURL.pupil(child)).body.string.contains("Lessons by subject")))
        }
    }

    @Test func theAPIReadsAndSavesALessonRegisterByTheSameRules() async throws {
        try await withWebApp(adjusting: Self.at1140) { app, store in
            let (lesson, pupils) = try await Self.teachersLesson(store, period: 3)
            var teacher = try await Browser.signedIn(app, as: .teacher)
            let path = SiteURL.lessonRegister(mainSchool, date: testToday, id: lesson.id, api: true)
            let read = try await teacher.get(path)
            #expect(read.status == .ok)
            let json = try JSONSerialization.jsonObject(with: Data(read.body.readableBytesView)) as? [String: Any]
            #expect(json?["state"] as? String == "open" && (json?["pupils"] as? [Any])?.count == pupils.count)
            func send(_ body: String) async throws -> TestingHTTPResponse {
                try await app.testing().sendRequest(
                    .POST, path,
                    headers: [
                        "Content-Type": "application/json", "Cookie": teacher.cookie, "X-CSRF-Token": teacher.csrf,
                    ], body: ByteBuffer(string: body))
            }
            let saved = try await send(
                #"{"marks": [{"upn": "\#(pupils[0].value)", "code": "/"}, {"upn": "\#(pupils[1].value)", "code": "L", "minutes_late": 4}]}"#
            )
            #expect(saved.status == .ok && saved.body.string.contains(#""inserted":2"#))
            let wrong = try await send(#"{"marks": [{"upn": "\#(pupils[0].value)", "code": "Z"}]}"#)
            #expect(wrong.status == .unprocessableEntity)
            let stranger = try await store.reference.onRoll(otherSchool, on: testToday)[0].upn
            let outsider = try await send(#"{"marks": [{"upn": "\#(stranger.value)", "code": "/"}]}"#)
            #expect(outsider.status == .unprocessableEntity)
            let changed = try await send(#"{"marks": [{"upn": "\#(pupils[0].value)", "code": "N"}]}"#)
            #expect(changed.status == .conflict)
            #expect(try await send("not json").status == .unprocessableEntity)
        }
    }
}

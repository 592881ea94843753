import AttendanceCore
import Testing

@testable import AttendanceInterop

@Suite struct TimetableParserTests {
    let header = "class,subject,day,period,start,end,teacher,room\n"

    @Test func aTimetableReadsEveryColumn() throws {
        let lessons = try ImportParser.timetable(
            header
                + "10X/Ma1,Mathematics,6,3,11:05,12:05,R.Hughes@School.example,M4\n10X/Ma1,Mathematics,1,1,08:55,09:55,r.hughes@school.example,\n",
            weeks: 2)
        #expect(lessons.map(\.line) == [2, 3])
        let first = lessons[0].value
        #expect(first.className == "10X/Ma1" && first.subject == "Mathematics" && first.cycleDay == 6)
        #expect(first.period == 3 && first.start.description == "11:05" && first.end.description == "12:05")
        #expect(first.teacher == "r.hughes@school.example" && first.room == "M4")
        #expect(lessons[1].value.room == nil)
    }

    @Test func everyBadLineIsNamed() {
        let found = problems {
            _ = try ImportParser.timetable(
                header
                    // A day of week 2 in a one-week cycle.
                    + "10X/Ma1,Mathematics,6,3,11:05,12:05,r.hughes@school.example,M4\n"
                    + "10X/Ma1,Mathematics,2,3,11:05,10:05,r.hughes@school.example,M4\n"  // ends before it starts
                    + "10X/En1,English,2,4,11:05,12:05,nobody,E1\n"  // not an email
                    + "10X/En1,English,3,4,12:05,13:05,e.price@school.example,E1\n"
                    + "10x/en1,Drama,3,4,12:05,13:05,d.lloyd@school.example,D1\n"  // the class has that period already
                    + ",English,3,5,13:05,14:05,e.price@school.example,E1\n",
                weeks: 1)
        }
        #expect(found.count == 5)
        #expect(found[0].hasPrefix("line 2: day:"))
        #expect(found[1] == "line 3: end: the lesson ends at 10:05, before it starts at 11:05")
        #expect(found[2] == "line 4: teacher: 'nobody' is not an email address")
        #expect(found[3] == "line 6: period: 10x/en1 already has period 4 of day 3 on line 5")
        #expect(found[4] == "line 7: class: is empty")
    }

    @Test func aPupilIsInAClassOnce() {
        let upn = UPN.make(la: 665, estab: 4001, year: 25, serial: 1)
        let found = problems {
            _ = try ImportParser.classes("class,upn\n10X/Ma1,\(upn)\n10X/Ma1,\(upn)\n10X/Ma1,not-a-upn\n")
        }
        #expect(found.count == 2)
        #expect(found[0] == "line 3: upn: \(upn) is already in 10X/Ma1 on line 2")
        #expect(found[1].hasPrefix("line 4: upn:"))
    }

    @Test func lessonMarksAreALessonsOwnCodesWithMinutesOnlyWhenLate() throws {
        let (alys, cai) = (
            UPN.make(la: 665, estab: 4001, year: 25, serial: 1), UPN.make(la: 665, estab: 4001, year: 25, serial: 3)
        )
        let rows = try ImportParser.lessonMarks(
            "date,class,period,upn,code,minutes_late,taken_by\n"
                + "2026-11-02,10X/Ma1,1,\(alys),/,,r.hughes@school.example\n2026-11-02,10X/Ma1,1,\(cai),l,7,\n")
        #expect(
            rows.map(\.value.mark) == [
                LessonMark(upn: alys, code: .present), LessonMark(upn: cai, code: .late, minutesLate: 7),
            ])
        #expect(rows.map(\.value.takenBy) == ["r.hughes@school.example", nil])
        let found = problems {
            _ = try ImportParser.lessonMarks(
                "date,class,period,upn,code,minutes_late\n"
                    + "2026-11-02,10X/Ma1,1,\(alys),L,\n"  // late without minutes
                    + "2026-11-02,10X/Ma1,1,\(cai),/,5\n"  // minutes for a present mark
                    + "2026-11-02,10X/Ma1,2,\(cai),I,\n"  // a session's code, not a lesson's
                    + "2026-11-02,10X/Ma1,2,\(alys),N,\n2026-11-02,10x/ma1,2,\(alys),V,\n"  // twice in one lesson
                    + "2026-02-30,10X/Ma1,3,\(alys),N,\n")  // no such day
        }
        #expect(found.count == 5)
        #expect(found[0] == "line 2: minutes_late: a late mark needs its minutes")
        #expect(found[1] == "line 3: minutes_late: minutes are for a late mark")
        #expect(found[2] == "line 4: code: 'I' is not a lesson mark (/, L, N, V or S)")
        #expect(found[3] == "line 6: upn: \(alys) already has a mark in 10x/ma1 period 2 on 2026-11-02 on line 5")
        #expect(found[4].hasPrefix("line 7: date:"))
    }

    @Test func aCycleOfAnotherLengthReadsAsTheNearerOfOneOrTwoWeeks() throws {
        let text = "class,subject,day,period,start,end,teacher\n10X/Ma1,Mathematics,7,1,09:00,10:00,r@school.example\n"
        #expect(problems { _ = try ImportParser.timetable(text, weeks: 0) }.first?.hasPrefix("line 2: day:") == true)
        #expect(try ImportParser.timetable(text, weeks: 3).map(\.value.cycleDay) == [7])
    }
}

import AttendanceCore
import Testing

@testable import AttendanceInterop

/// Every problem in a file, as text.
func problems(_ body: () throws -> Void) -> [String] {
    do {
        try body()
        return []
    } catch let error as ImportProblems {
        return error.problems.map(\.description)
    } catch {
        return ["unexpected \(error)"]
    }
}

@Suite struct ImportParserTests {
    @Test func schoolsReadEveryColumn() throws {
        let rows = try ImportParser.schools(
            "la,estab,name,phase,am_start,am_close,pm_start,pm_close\n665,2001,\"Ysgol Bryn, Wrecsam\",primary,08:55,09:25,13:15,13:30\n"
        )
        #expect(rows.count == 1)
        #expect(rows[0].line == 2)
        #expect(rows[0].value.laestab.description == "6652001")
        #expect(rows[0].value.name == "Ysgol Bryn, Wrecsam")
        #expect(rows[0].value.am.close.description == "09:25")
    }

    @Test func anUnknownColumnSetIsRefused() {
        let found = problems { _ = try ImportParser.schools("la,estab,nom\n665,2001,x\n") }
        #expect(
            found.contains(
                "line 1: unknown column 'nom' (expected la,estab,name,phase,am_start,am_close,pm_start,pm_close)"))
        #expect(found.contains("line 1: required column 'name' is missing"))
    }

    @Test func everyBadLineIsListed() {
        let csv = """
            upn,surname,forename,dob,sex,year_group,registration_group,fsm,lac,on_roll_from
            B801200005001,Jones,Alys,2014-03-02,F,7,7A,N,N,2025-09-01
            C801200005001,Jones,Alys,2014-03-02,F,7,7A,N,N,2025-09-01
            B801200005001,Jones,,2014-02-30,Q,7,7A,maybe,N,2025-09-01
            B801200005001,Jones,Alys,2014-03-02,F,7,7A,N,N
            """
        let found = problems { _ = try ImportParser.pupils(csv) }
        #expect(found.count == 6, "\(found)")
        #expect(
            found.contains(
                "line 3: upn: 'C801200005001' is not a valid UPN: the check letter is wrong (it should be B)"))
        #expect(found.contains("line 4: forename: is empty"))
        #expect(found.contains("line 4: dob: '2014-02-30' is not a date (YYYY-MM-DD, from 1990 to 2100)"))
        #expect(found.contains("line 4: sex: 'Q' is not F, M or U"))
        #expect(found.contains("line 4: fsm: 'maybe' is not yes or no (Y/N)"))
        #expect(found.contains("line 5: has 9 fields, the header has 10"))
    }

    @Test func controlCharactersRunawayFieldsAndLatenessWithoutMinutesAreRefusedByLine() {
        let header = "upn,surname,forename,dob,sex,year_group,registration_group,fsm,lac,on_roll_from\n"
        let pupils =
            header + "B801200005001,Jo\u{0}nes,Alys,2014-03-02,F,7,7A,N,N,2025-09-01\n"
            + "B801200005001,\(String(repeating: "x", count: 1_000_000)),Alys,2014-03-02,F,7,7A,N,N,2025-09-01\n"
            + "B801200005001,Jones,Alys,2014-03-02,F,7,7A,N,N,2025-09-01\n"
        let found = problems { _ = try ImportParser.pupils(pupils) }
        #expect(
            found == [
                "line 2: surname: contains a control character", "line 3: surname: is longer than 100 characters",
            ], "\(found)")
        let marks =
            "upn,date,session,code,minutes_late\nB801200005001,2026-11-20,AM,L,\nB801200005001,2026-11-20,PM,L,5\n"
        #expect(
            problems { _ = try ImportParser.marks(marks, codes: .wales2010) } == [
                "line 2: minutes_late: a late code (L) needs the minutes late"
            ])
    }

    @Test func marksCheckCodesSessionsLatenessAndDuplicates() {
        let csv = """
            upn,date,session,code,minutes_late
            B801200005001,2025-10-06,AM,/,
            B801200005001,2025-10-06,PM,K,
            B801200005001,2025-10-07,XM,/,
            B801200005001,2025-10-08,AM,/,12
            B801200005001,2025-10-06,am,L,5
            """
        let found = problems { _ = try ImportParser.marks(csv, codes: .wales2010) }
        #expect(
            found == [
                "line 3: code: 'K' is not a code in the wales-2010 table",
                "line 4: session: 'XM' is not AM or PM",
                "line 5: minutes_late: only a late code (L, U) has minutes late",
                "line 6: B801200005001 2025-10-06 AM is already on line 2",
            ])
    }

    @Test func goodMarksCarryTheirLines() throws {
        let rows = try ImportParser.marks(
            "upn,date,session,code,minutes_late,note\nB801200005001,2025-10-06,AM,L,7,bus late\n", codes: .wales2010)
        #expect(rows[0].line == 2)
        #expect(rows[0].value.minutesLate == 7)
        #expect(rows[0].value.note == "bus late")
        #expect(rows[0].value.session.description == "2025-10-06 AM")
    }

    @Test func calendarAndContacts() throws {
        let calendar = problems {
            _ = try ImportParser.calendar(
                "kind,start,end,name\nterm,2025-09-01,2025-12-19,Autumn\nholiday,2025-10-31,2025-10-27,Half\nbreak,2025-01-01,2025-01-01,x\n"
            )
        }
        #expect(
            calendar == [
                "line 3: end: 2025-10-27 is before the start 2025-10-31",
                "line 4: kind: 'break' is not one of term, holiday, half_term, inset, closure",
            ])
        let contacts = try ImportParser.contacts(
            "upn,name,relationship,priority,parental_responsibility,email,language\nB801200005001,Sian Jones,Mother,1,Y,sian@example.org,cy\nB801200005001,Huw Jones,Father,2,Y,,\n"
        )
        #expect(contacts.map(\.value.contact.language) == [.cy, .both])
        #expect(contacts[0].value.contact.parentalResponsibility)
        // Whether a contact lives with the pupil: yes, no, or (empty) not recorded; anything else names its line.
        let living = try ImportParser.contacts(
            "upn,name,relationship,priority,lives_with_pupil\nB801200005001,A,Mother,1,Y\nB801200005001,B,Father,2,N\nB801200005001,C,Aunt,3,\n"
        )
        #expect(living.map(\.value.contact.livesWithPupil) == [true, false, nil])
        #expect(
            problems {
                _ = try ImportParser.contacts(
                    "upn,name,relationship,priority,lives_with_pupil\nB801200005001,A,Mother,1,sometimes\n")
            } == ["line 2: lives_with_pupil: 'sometimes' is not yes or no (Y/N)"])
    }
}

@Suite struct DemoAuthorityTests {
    @Test func theSameSeedGivesTheSameAuthority() {
        let options = DemoAuthority.Options(
            schools: 2, pupilsPerSchool: 40, until: LocalDate(iso: "2026-11-20")!, seed: 7)
        let a = DemoAuthority(options: options)
        let b = DemoAuthority(options: options)
        #expect(a.schools.map(\.marks) == b.schools.map(\.marks))
        #expect(a.schools.map(\.pupils) == b.schools.map(\.pupils))
        var other = options
        other.seed = 8
        #expect(DemoAuthority(options: other).schools.map(\.marks) != a.schools.map(\.marks))
    }

    @Test func marksStopBeforeTheDayAndFallOnSchoolDays() {
        let until = LocalDate(iso: "2026-11-20")!
        let demo = DemoAuthority(options: .init(schools: 1, pupilsPerSchool: 50, until: until, seed: 3))
        let school = demo.schools[0]
        let calendar = SchoolCalendar(entries: demo.termDates + school.insetDays)
        #expect(!school.marks.isEmpty)
        #expect(school.marks.allSatisfy { $0.session.date < until && calendar.isSchoolDay($0.session.date) })
        let codes = Set(school.marks.map(\.code))
        #expect(codes.isSuperset(of: ["/", "\\", "N"]))
        // Both years are there: last year's leavers and this year's pupils.
        #expect(school.pupils.contains { $0.onRollTo != nil && $0.onRollTo! < until.academicYear.firstDay })
        #expect(Set(school.contacts.map(\.contact.language)).count == 3)
    }

    @Test func welshTermDatesGiveA190DayYear() {
        for start in 2024...2030 {
            let year = AcademicYear(startYear: start)
            let calendar = SchoolCalendar(
                entries: WelshTermDates.entries(for: year) + WelshTermDates.insetDays(for: year))
            let days = calendar.schoolDays(in: year.range).count
            #expect(days == 190, "\(year): \(days) days")
            #expect(calendar.terms.last!.range.end.month == 7)
        }
    }
}

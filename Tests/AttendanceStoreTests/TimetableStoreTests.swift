import AttendanceCore
import AttendanceInterop
import Foundation
import Testing

@testable import AttendanceStore

/// Issue 38: a timetable is imported whole or not at all, from its first day; a later one leaves earlier lessons as
/// they were.
@Suite struct TimetableStoreTests {
    let lessonsCSV = """
        class,subject,day,period,start,end,teacher,room
        7A/Ma,Mathematics,1,1,09:30,10:30,r.hughes@example.org,M4
        7A/Ma,Mathematics,3,2,10:30,11:30,r.hughes@example.org,M4
        7A/Cy,Cymraeg,2,1,09:30,10:30,e.price@example.org,C1
        """

    @Test(arguments: TestDatabase.available)
    func aTimetableIsWholeFromItsFirstDayAndALaterOneLeavesItBe(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await loadFixture(store)
            let lessons = try ImportParser.timetable(lessonsCSV, weeks: 1)
            let actor = AuditActor("office@example.org")
            let september = try TimetableCycle(weeks: 1, startsOn: day("2025-09-01"))
            // A pupil not on the roll, and a class with no lesson: named by their lines, nothing written.
            let stranger = UPN.make(la: 665, estab: 4001, year: 25, serial: 50)
            let bad = try ImportParser.classes("class,upn\n7A/Ma,\(alys)\n7A/Ma,\(stranger)\n7A/Hi,\(cai)\n")
            await #expect(throws: ImportProblems.self) {
                try await store.lessons.importTimetable(
                    lessons, classes: bad, school: school, cycle: september, by: actor)
            }
            do {
                try await store.lessons.importTimetable(
                    lessons, classes: bad, school: school, cycle: september, by: actor)
            } catch let problems as ImportProblems {
                #expect(problems.problems.map(\.line) == [3, 4])
                #expect(problems.problems[0].message.contains("\(stranger) is not on the roll of 6654001"))
                #expect(problems.problems[1].message == "class: 7A/Hi has no lesson in the timetable")
            }
            #expect(try await store.lessons.timetable(school: school, on: day("2025-10-01")) == nil)
            #expect(try await count(store, "timetable_lessons") == 0)

            let classes = try ImportParser.classes("class,upn\n7a/ma,\(alys)\n7A/Ma,\(cai)\n7A/Cy,\(alys)\n")
            let written = try await store.lessons.importTimetable(
                lessons, classes: classes, school: school, cycle: september, by: actor, source: "tt.csv")
            #expect(written.lessons == 3 && written.places == 3)
            // The same files again change nothing.
            try await store.lessons.importTimetable(
                lessons, classes: classes, school: school, cycle: september, by: actor, source: "tt.csv")
            #expect(try await count(store, "timetables") == 1)
            #expect(try await count(store, "timetable_lessons") == 3)
            let autumn = try #require(try await store.lessons.timetable(school: school, on: day("2025-10-01")))
            #expect(autumn.cycle == september && autumn.lessons.count == 3 && autumn.importedBy == actor.name)
            #expect(autumn.classes["7A/Ma"] == [alys, cai].sorted { $0.value < $1.value })
            #expect(autumn.classes["7A/Cy"] == [alys])

            // From January a two-week timetable; the autumn's lessons stay as they were.
            let january = try TimetableCycle(weeks: 2, startsOn: day("2026-01-05"))
            let spring = try ImportParser.timetable(
                "class,subject,day,period,start,end,teacher\n7A/Ma,Mathematics,7,1,09:30,10:30,r.hughes@example.org\n",
                weeks: 2)
            try await store.lessons.importTimetable(
                spring, classes: try ImportParser.classes("class,upn\n7A/Ma,\(alys)\n"), school: school, cycle: january,
                by: actor)
            #expect(try await store.lessons.timetable(school: school, on: day("2025-12-19")) == autumn)
            let after = try #require(try await store.lessons.timetable(school: school, on: day("2026-01-14")))
            #expect(after.cycle.weeks == 2 && after.lessons.map(\.cycleDay) == [7] && after.classes["7A/Ma"] == [alys])
            let lines = try await store.auditTrail.search(AuditQuery()).filter { $0.action == "timetable.imported" }
            #expect(lines.count == 3 && lines.allSatisfy { $0.school == school })
        }
    }
}

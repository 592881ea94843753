import AttendanceCore
import AttendanceInterop
import Foundation
import SQLKit
import Testing

@testable import AttendanceStore

/// Issue 38: a lesson register is kept beside the statutory one and never writes it; the same-day check finds the
/// pupils registered on site and missing from a lesson.
@Suite struct LessonRegisterStoreTests {
    let wednesday = LocalDate(iso: "2025-11-12")!
    let tutor = AuditActor("r.hughes@example.org")

    /// A one-week timetable from 1 September: on Wednesdays (day 3) 7A/Ma has periods 1, 2 and 5 (the afternoon:
    /// the school's afternoon register starts at 13:30), and alys, bryn and cai are its pupils.
    func timetable(_ store: Store) async throws {
        let lessons = try ImportParser.timetable(
            """
            class,subject,day,period,start,end,teacher
            7A/Ma,Mathematics,3,1,09:30,10:30,r.hughes@example.org
            7A/Ma,Science,3,2,10:30,11:30,s.owen@example.org
            7A/Ma,History,3,5,13:45,14:45,h.jones@example.org
            """, weeks: 1)
        let classes = try ImportParser.classes("class,upn\n7A/Ma,\(alys)\n7A/Ma,\(bryn)\n7A/Ma,\(cai)\n")
        try await store.lessons.importTimetable(
            lessons, classes: classes, school: school, cycle: try TimetableCycle(weeks: 1, startsOn: day("2025-09-01")),
            by: AuditActor("office@example.org"))
    }

    func session(_ store: Store, _ marks: [(UPN, SessionHalf, String)]) async throws {
        try await store.registers.writeMarks(
            marks.map {
                SchoolMark(school: school, mark: Mark(upn: $0.0, session: SchoolSession(wednesday, $0.1), code: $0.2))
            },
            by: AuditActor("tutor@example.org"), reason: nil)
    }

    func yearStrings(_ store: Store) async throws -> [String] {
        try await store.sql.raw("SELECT pupil_id, marks FROM pupil_year_marks ORDER BY pupil_id").all().map {
            "\(try $0.decode(column: "pupil_id", as: Int.self)) \(try $0.decode(column: "marks", as: Data.self).base64EncodedString())"
        }
    }

    @Test(arguments: TestDatabase.available)
    func aLessonMarkNeverChangesASessionMark(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await loadFixture(store)
            try await timetable(store)
            try await session(store, [(alys, .am, "/"), (bryn, .am, "/"), (cai, .am, "N")])
            let before = try await yearStrings(store)
            let recorders = try await count(store, "register_recordings")
            let result = try await store.lessons.saveLessonRegister(
                school: school, on: wednesday, className: "7A/Ma", period: 1,
                marks: [
                    LessonMark(upn: alys, code: .absent), LessonMark(upn: bryn, code: .late, minutesLate: 10),
                    LessonMark(upn: cai, code: .present),
                ], by: tutor, reason: nil)
            #expect(result == LessonWriteResult(inserted: 3))
            #expect(try await yearStrings(store) == before)
            #expect(try await count(store, "register_recordings") == recorders)
            #expect(try await count(store, "mark_amendments") == 0)
            let range = DateRange(wednesday, wednesday)!
            #expect(try await store.registers.marks(of: cai, in: range).map(\.mark.code) == ["N"])
            #expect(try await store.registers.marks(of: alys, in: range).map(\.mark.code) == ["/"])
            // Changing a lesson mark needs a reason, and keeps the old one; nothing else is accepted.
            let changed = [LessonMark(upn: alys, code: .withStaff)]
            await #expect(throws: StoreError.lesson(.needReason(alys))) {
                try await store.lessons.saveLessonRegister(
                    school: school, on: wednesday, className: "7A/Ma", period: 1, marks: changed, by: tutor, reason: nil
                )
            }
            let amended = try await store.lessons.saveLessonRegister(
                school: school, on: wednesday, className: "7A/Ma", period: 1, marks: changed, by: tutor,
                reason: "She was at her music lesson")
            #expect(amended.amended == 1)
            #expect(try await count(store, "lesson_mark_amendments") == 1)
            #expect(try await yearStrings(store) == before)
            let stranger = UPN.make(la: 665, estab: 4001, year: 25, serial: 50)
            await #expect(throws: StoreError.lesson(.notInClass(stranger))) {
                try await store.lessons.saveLessonRegister(
                    school: school, on: wednesday, className: "7A/Ma", period: 2,
                    marks: [LessonMark(upn: stranger, code: .present)], by: tutor, reason: nil)
            }
            await #expect(throws: StoreError.lesson(.minutes(cai))) {
                try await store.lessons.saveLessonRegister(
                    school: school, on: wednesday, className: "7A/Ma", period: 2,
                    marks: [LessonMark(upn: cai, code: .late)], by: tutor, reason: nil)
            }
            await #expect(throws: StoreError.self) {  // no such lesson that day
                try await store.lessons.saveLessonRegister(
                    school: school, on: wednesday, className: "7A/Ma", period: 3,
                    marks: [LessonMark(upn: cai, code: .present)], by: tutor, reason: nil)
            }
            #expect(try await store.lessons.lessons(school: school, on: wednesday).map(\.period) == [1, 2, 5])
            #expect(try await store.lessons.lessons(school: school, on: day("2025-11-13")).isEmpty)
        }
    }

    @Test(arguments: TestDatabase.available)
    func theSameDayCheckFindsThePupilsOnSiteAndMissingFromALesson(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await loadFixture(store)
            try await timetable(store)
            // Alys and Cai (late) were registered this morning, Bryn was not; all three were this afternoon.
            try await session(
                store,
                [
                    (alys, .am, "/"), (bryn, .am, "N"), (cai, .am, "L"), (alys, .pm, "\\"), (bryn, .pm, "\\"),
                    (cai, .pm, "\\"),
                ])
            let registers: [(Int, [(UPN, LessonCode)])] = [
                (1, [(alys, .absent), (bryn, .absent), (cai, .present)]),
                (2, [(alys, .absent), (bryn, .absent), (cai, .absent)]),
                (5, [(alys, .present), (bryn, .absent), (cai, .educationalVisit)]),
            ]
            for (period, marks) in registers {
                try await store.lessons.saveLessonRegister(
                    school: school, on: wednesday, className: "7A/Ma", period: period,
                    marks: marks.map { LessonMark(upn: $0.0, code: $0.1) }, by: tutor, reason: nil)
            }
            let found = try await store.lessons.sameDayCheck(school: school, on: wednesday)
            // The test's own count: a lesson absence in a half the pupil was registered present or late for.
            let registered: [UPN: Set<SessionHalf>] = [alys: [.am, .pm], bryn: [.pm], cai: [.am, .pm]]
            let half: [Int: SessionHalf] = [1: .am, 2: .am, 5: .pm]
            var expected: [UPN: [Int]] = [:]
            for (period, marks) in registers {
                for (upn, code) in marks where code == .absent && registered[upn]?.contains(half[period]!) == true {
                    expected[upn, default: []].append(period)
                }
            }
            #expect(Dictionary(uniqueKeysWithValues: found.map { ($0.upn, $0.missed.map(\.period)) }) == expected)
            // Alys missed two lessons in a row: she comes first. Bryn, absent this morning, is the register's
            // matter, not this check's, but his afternoon lesson is.
            #expect(found.map(\.upn) == [alys, bryn, cai] || found.first?.upn == alys)
            #expect(found.first?.inARow == true && found.filter(\.inARow).map(\.upn) == [alys])
            #expect(found.first { $0.upn == bryn }?.missed.map(\.teacher) == ["h.jones@example.org"])
        }
    }
}

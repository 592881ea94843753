import AttendanceCore
import AttendanceInterop
import Foundation
import SQLKit
import Testing

@testable import AttendanceStore

/// Issue 37: the retention dry run lists what a schedule would remove, and nothing inside the kept period; a run
/// removes exactly what the dry run listed, through the one recorded exception to the append-only tables.
@Suite struct RetentionStoreTests {
    func marks(_ store: Store) async throws {
        try await store.registers.importMarks(
            try ImportParser.marks(
                marksCSV(["\(alys),2025-10-06,AM,N,", "\(alys),2025-10-06,PM,\\,", "\(cai),2025-10-06,AM,/,"]),
                codes: store.codes),
            school: nil, source: "m.csv", authorisesAt: [LAESTAB(la: 665, estab: 4001)])
    }

    @Test(arguments: TestDatabase.available)
    func theDryRunListsNothingInsideTheKeptPeriod(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await loadFixture(store)
            try await marks(store)
            // 2025/26's register is kept through 2028/29 (three school years after its own): nothing is due.
            for text in ["2025-11-25", "2026-11-25", "2029-08-31"] {
                let due = try await store.dataProtection.retentionDue(.shipped, on: day(text))
                #expect(Set(due.map(\.record)) == Set(RetainedRecord.allCases))
                #expect(due.allSatisfy { $0.rows == 0 }, "\(text)")
            }
            // From 2029/30 the year's two pupil-years of marks, and who recorded them, are due; the audit trail (six
            // years) is not.
            let due = try await store.dataProtection.retentionDue(.shipped, on: day("2029-09-01"))
            let registers = try #require(due.first { $0.record == .registers })
            #expect(registers.rows == 4 && registers.oldest == AcademicYear(startYear: 2025))
            #expect(registers.keptFrom == AcademicYear(startYear: 2026))
            #expect(due.first { $0.record == .auditTrail }?.rows == 0)
            // A dry run removes nothing.
            #expect(try await store.dataProtection.retentionDue(.shipped, on: day("2029-09-01")) == due)
        }
    }
}

extension RetentionStoreTests {
    @Test(arguments: TestDatabase.available)
    func aRunRemovesWhatTheDryRunListedAndTheAppendOnlyTablesCloseAgain(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await loadFixture(store)
            try await marks(store)
            try await store.registers.writeMarks(
                [
                    SchoolMark(
                        school: school, mark: Mark(upn: alys, session: SchoolSession(day("2025-10-06"), .am), code: "I")
                    )
                ],
                by: AuditActor("office@example.org"), reason: "Mother rang",
                device: try DeviceSave(key: "office-desk-0001", madeAt: nil, receivedAt: Date()))
            let asOf = day("2033-09-01")  // the audit trail of 2026/27 is then due too
            let listed = try await store.dataProtection.retentionDue(.shipped, on: asOf)
            let total = listed.reduce(0) { $0 + $1.rows }
            // Two years of marks, their recordings, one change and the device's key for it.
            #expect(listed.first { $0.record == .registers }?.rows == 6)
            #expect(try #require(listed.first { $0.record == .auditTrail }).rows > 0)
            #expect(try await count(store, "mark_amendments") == 1)
            // A number other than the dry run's removes nothing.
            await #expect(throws: StoreError.retentionChanged(listed: total + 1, due: total)) {
                try await store.dataProtection.removeDue(
                    .shipped, on: asOf, expecting: total + 1, by: AuditActor("dpo@example.org"))
            }
            #expect(try await count(store, "mark_amendments") == 1)
            #expect(try await count(store, "retention_runs") == 0)
            let removed = try await store.dataProtection.removeDue(
                .shipped, on: asOf, expecting: total, by: AuditActor("dpo@example.org"))
            #expect(removed == listed)
            for table in ["mark_amendments", "pupil_year_marks", "pupil_year_recordings", "register_saves"] {
                #expect(try await count(store, table) == 0, "\(table)")
            }
            let run = try #require(
                try await store.sql.raw("SELECT run_by, finished_at, removed FROM retention_runs").all().first)
            #expect(try run.decode(column: "run_by", as: String.self) == "dpo@example.org")
            #expect(try run.decode(column: "finished_at", as: String?.self) != nil)
            #expect(try run.decode(column: "removed", as: String.self).contains("\"registers\":6"))
            let lines = try await store.auditTrail.search(AuditQuery())
            #expect(lines.map(\.action) == ["retention.removed"])
            // The exception closed with the run: the audit trail refuses a deletion again.
            await #expect(throws: (any Error).self) {
                try await store.sql.raw("DELETE FROM audit_events").run()
            }
            #expect(try await count(store, "audit_events") == 1)
            // Nothing more is due: the run's own audit line, though of a school year already due, is kept as the record
            // of what was removed.
            #expect(try await store.dataProtection.retentionDue(.shipped, on: asOf).allSatisfy { $0.rows == 0 })
        }
    }
}

extension RetentionStoreTests {
    /// Lesson registers are kept as long as the session registers of their year, and go with them: their marks, the
    /// marks' changes (append-only, cut only inside a retention run), the day's cover and same-day findings.
    @Test(arguments: TestDatabase.available)
    func lessonRegistersGoWithTheRegistersOfTheirYear(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await loadFixture(store)
            let lessons = LessonRegisterStoreTests()
            try await lessons.timetable(store)
            let wednesday = lessons.wednesday
            try await store.lessons.saveLessonRegister(
                school: school, on: wednesday, className: "7A/Ma", period: 1,
                marks: [LessonMark(upn: alys, code: .absent), LessonMark(upn: bryn, code: .present)],
                by: lessons.tutor, reason: nil)
            try await store.lessons.saveLessonRegister(
                school: school, on: wednesday, className: "7A/Ma", period: 1,
                marks: [LessonMark(upn: alys, code: .withStaff)], by: lessons.tutor, reason: "At her music lesson")
            let lesson = try #require(try await store.lessons.lessonsOfDay(school: school, on: wednesday).first)
            try await store.lessons.assignCover(
                school: school, lessonID: lesson.id, on: wednesday, teacher: "cover@example.org",
                by: AuditActor("office@example.org"))
            try await store.lessons.recordSameDay(
                .foundOnSite, upn: alys, school: school, on: wednesday, note: nil, by: AuditActor("office@example.org"))
            let tables = [
                "lesson_mark_amendments", "lesson_marks", "lesson_registers", "lesson_covers", "same_day_checks",
            ]
            // Kept through 2028/29, as the year's session registers are.
            let kept = try await store.dataProtection.retentionDue(.shipped, on: day("2029-08-31"))
            #expect(kept.first { $0.record == .registers }?.rows == 0)
            let asOf = day("2029-09-01")
            let listed = try await store.dataProtection.retentionDue(.shipped, on: asOf)
            // One change, two marks, one register, one cover, one finding.
            #expect(listed.first { $0.record == .registers }?.rows == 6)
            let total = listed.reduce(0) { $0 + $1.rows }
            #expect(
                try await store.dataProtection.removeDue(
                    .shipped, on: asOf, expecting: total, by: AuditActor("dpo@example.org")) == listed)
            for table in tables { #expect(try await count(store, table) == 0, "\(table)") }
            // The timetable itself is the school's, not a pupil's record: it stays.
            #expect(try await count(store, "timetable_lessons") == 3)
        }
    }
}

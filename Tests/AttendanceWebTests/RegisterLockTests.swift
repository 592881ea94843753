import AttendanceCore
import Foundation
import Testing
import VaporTesting

@testable import AttendanceStore
@testable import AttendanceWeb

/// Issue 31, point 18: "The school's register is a legal document" and "By the end of the school week the schools
/// overall attendance registers will be completed". Today (Wednesday 25 November) the week of 16 November is open
/// until Monday 23rd's end and locked since; the week of 2 November long since.
@Suite struct RegisterLockTests {
    @Test func aWeeksRegistersLockOneSchoolDayAfterItEnds() {
        let calendar = SchoolCalendar(entries: [
            CalendarEntry(
                kind: .term, range: DateRange(LocalDate(iso: "2026-09-01")!, LocalDate(iso: "2026-12-18")!)!,
                name: "Autumn")
        ])
        let friday = LocalDate(iso: "2026-11-20")!
        #expect(RegisterLock.lastOpenDay(for: friday, calendar: calendar, grace: 1) == LocalDate(iso: "2026-11-23")!)
        #expect(!RegisterLock.isLocked(friday, today: LocalDate(iso: "2026-11-23")!, calendar: calendar, grace: 1))
        #expect(RegisterLock.isLocked(friday, today: LocalDate(iso: "2026-11-24")!, calendar: calendar, grace: 1))
        #expect(!RegisterLock.isLocked(LocalDate(iso: "2026-11-23")!, today: testToday, calendar: calendar, grace: 1))
        // The office may give the reason for an N; nothing else, and a tutor nothing at all.
        let codes = CodeTable.wales2010
        let (n, present, illness) = (codes["N"], codes["/"], codes["I"])
        #expect(throws: Never.self) { try RegisterLock.check(from: n, to: illness!, by: .office) }
        #expect(throws: RegisterLock.Refusal.locked("N")) { try RegisterLock.check(from: present, to: n!, by: .office) }
        #expect(throws: RegisterLock.Refusal.locked("N")) { try RegisterLock.check(from: present, to: n!, by: .other) }
        #expect(throws: Never.self) { try RegisterLock.check(from: present, to: n!, by: .authoriser) }
    }

    /// "Today a tutor changed a two-month-old register from present to N with a free-text reason, which the parent
    /// saw and the procedure counted." Refused now; the head's change is kept with its reason, marked as after the
    /// lock.
    @Test(arguments: WebTestDatabase.available)
    func aTutorCannotChangeALockedRegisterAndTheHeadsChangeIsMarked(_ database: WebTestDatabase) async throws {
        try await withWebApp(on: database) { app, store in
            let group = try #require(try await store.identity.user(email: "tutor@demo.example")?.grants.first)
                .registrationGroups[0]
            let day = LocalDate(iso: "2026-11-02")!
            let path = SiteURL.register(mainSchool, group: group, date: day, half: .am)
            var tutor = try await Browser.signedIn(app, as: .formTutor)
            let page = try await tutor.get(path).body.string
            #expect(page.contains("id=\"register-locked\"") && page.contains("table class=\"register read-only\""))
            #expect(!page.contains("id=\"save-register\""))
            var marks: [RecordedMark] = []
            for pupil in try await onRollToday(store) where pupil.registrationGroup == group {
                marks += try await store.registers.marks(of: pupil.upn, in: DateRange(day, day)!).filter {
                    $0.mark.session.half == .am
                }
            }
            let present = try #require(marks.first { $0.mark.code == "/" })
            let upn = present.mark.upn.value
            let change = ["mark-\(upn)": "absent", "seen-\(upn)": "/", "reason": "Was not really here"]
            let refused = try await tutor.post(path, change)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("id=\"register-locked\""))
            #expect(try await store.registers.amendments(of: present.mark.upn).allSatisfy { $0.session.date != day })
            // The head may, with a reason; the history says it was after the lock.
            var head = try await Browser.signedIn(app, as: .headTeacher)
            _ = try await head.get(path)
            let noReason = try await head.post(path, ["mark-\(upn)": "absent", "seen-\(upn)": "/"])
            #expect(noReason.status == .unprocessableEntity)
            let saved = try await head.post(path, change.merging(["reason": "Register error found by audit"]) { $1 })
            #expect(saved.status == .seeOther)
            let amendment = try #require(
                try await store.registers.amendments(of: present.mark.upn).first { $0.session.date == day })
            #expect(amendment.reason == "After the register locked: Register error found by audit")
        }
    }
}

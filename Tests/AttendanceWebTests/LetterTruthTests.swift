import AttendanceCore
import AttendanceLetters
import Foundation
import Testing
import VaporTesting

@testable import AttendanceStore
@testable import AttendanceWeb

/// Issue 31, points 6 and 7: a letter says only what the record shows, whoever makes it and whenever; on both
/// databases.
@Suite struct LetterTruthTests {
    static let office = AuditActor("office@demo.example")

    /// 7. "Last year's actions never make a letter": `letters due --as-of 2027-09-06` made 42 letters saying "has
    /// missed 0 sessions … This is now a concern" from 2026/27's pending actions.
    @Test(arguments: WebTestDatabase.available)
    func aBatchInANewSchoolYearMakesNothingFromLastYear(_ database: WebTestDatabase) async throws {
        try await withWebApp(on: database) { app, store in
            try await store.procedure.runProcedure(policy: .wrexham2025, asOf: testToday, dryRun: false)
            let pending = try await store.procedure.actions(school: mainSchool).filter {
                LetterKind(action: $0.action) != nil
            }
            #expect(!pending.isEmpty)
            let nextYear = LocalDate(iso: "2027-09-06")!
            let batch = try await app.context.letters.produceDue(
                school: mainSchool, today: nextYear, by: Self.office, signatory: "Swyddfa")
            #expect(batch.letterIDs.isEmpty && batch.needingDetails == 0 && batch.waiting == 0)
            #expect(try await store.procedure.actions(school: mainSchool, year: nextYear.academicYear).isEmpty)
            // Last year's stay pending, for the new year's first run to close; this year's batch reads them.
            let stillPending = try await store.procedure.actions(school: mainSchool).filter {
                LetterKind(action: $0.action) != nil
            }
            #expect(stillPending.map(\.id) == pending.map(\.id))
            #expect(
                try await store.procedure.actions(school: mainSchool, year: testToday.academicYear).filter {
                    LetterKind(action: $0.action) != nil
                }.map(\.id) == pending.map(\.id))
        }
    }

    /// 6. "A pupil at 100% with no invitation can be sent 'We invited you … but we did not see you' … or 'often
    /// been absent … before school holidays'": by hand as by batch, each letter only on what the record shows.
    @Test(arguments: WebTestDatabase.available)
    func aLetterByHandSaysOnlyWhatTheRecordShows(_ database: WebTestDatabase) async throws {
        try await withWebApp(on: database) { app, store in
            let upn = try await CaseworkPenaltyTests.presentPupil(store).upn
            let meeting = ["meeting_date": "2026-12-02", "meeting_time": "10:00", "meeting_place": "School office"]
            for (kind, details, lack) in [
                (LetterKind.meetingSecondInvitation, meeting, LetterConditions.Lack.noMissedMeeting),
                (.preHoliday, [:], .noPreHolidayPattern),
                (.letter1, [:], .belowThreshold(needed: 10, absent: 0)),
                (.letter3, [:], .belowThreshold(needed: 26, absent: 0)),
            ] {
                await #expect(throws: LetterProblem.recordLacks(upn, lack), "\(kind)") {
                    _ = try await app.context.letters.produce(
                        kind, for: upn, school: mainSchool, details: details, today: testToday, by: Self.office,
                        signatory: "Office")
                }
            }
            #expect(try await store.letters.letters(of: upn).isEmpty)
            // The page says what the record lacks.
            var office = try await Browser.signedIn(app, as: .attendanceAdministrator)
            try await office.get(SiteURL.pupil(upn))
            let refused = try await office.post(
                SiteURL.schoolPupil(.produceLetter, mainSchool, upn), ["kind": "pre_holiday"])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("does not show absence before holidays"))
        }
    }

    /// 6. "Letter 3 at most once a school year unless the head sends it again with a reason."
    @Test(arguments: WebTestDatabase.available)
    func letterThreeGoesOnceAYearUnlessSentAgainWithAReason(_ database: WebTestDatabase) async throws {
        try await withWebApp(on: database) { app, store in
            let upn = try await CaseworkPenaltyTests.presentPupil(store).upn
            let calendar = try await store.reference.calendar(
                for: try await store.reference.requireSchool(mainSchool).school)
            try await store.registers.writeMarks(
                calendar.sessions(in: DateRange(LocalDate(iso: "2026-10-05")!, testToday)!).prefix(26).map {
                    SchoolMark(school: mainSchool, mark: Mark(upn: upn, session: $0, code: "I"))
                }, by: AuditActor("head@demo.example"), reason: "test: illness")
            let letters = app.context.letters
            _ = try await letters.produce(
                .letter3, for: upn, school: mainSchool, details: [:], today: testToday, by: Self.office,
                signatory: "Office")
            // (The day it went is when it was made, by the clock.)
            let second = await #expect(throws: LetterProblem.self) {
                _ = try await letters.produce(
                    .letter3, for: upn, school: mainSchool, details: [:], today: testToday, by: Self.office,
                    signatory: "Office")
            }
            guard case .recordLacks(upn, .alreadySent) = second else {
                Issue.record("a second Letter 3 without a reason: \(String(describing: second))")
                return
            }
            // Only someone who may authorise absence gives the reason.
            var office = try await Browser.signedIn(app, as: .attendanceAdministrator)
            try await office.get(SiteURL.pupil(upn))
            let path = SiteURL.schoolPupil(.produceLetter, mainSchool, upn)
            #expect(
                try await office.post(path, ["kind": "letter_3", "resend_reason": "Old address"]).status == .forbidden)
            var head = try await Browser.signedIn(app, as: .headTeacher)
            try await head.get(SiteURL.pupil(upn))
            #expect(
                try await head.post(path, ["kind": "letter_3", "resend_reason": "Sent to the old address"]).status
                    == .seeOther)
        }
    }
}

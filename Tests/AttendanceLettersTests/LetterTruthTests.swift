import AttendanceCore
import Foundation
import Testing

@testable import AttendanceLetters
@testable import AttendanceStore

/// Issue 31, points 6 and 7: a letter says only what the record shows, whoever makes it and whenever.
@Suite struct LetterTruthTests {
    /// 7. "Last year's actions never make a letter": `letters due --as-of 2027-09-06` made 42 letters saying "has
    /// missed 0 sessions … This is now a concern" from 2026/27's pending actions.
    @Test func aBatchInANewSchoolYearMakesNothingFromLastYear() async throws {
        try await withLetters { service, store in
            let schoolID = try await store.requireSchool(school).id
            let pending = try await store.actions(schoolID: schoolID).filter { LetterKind(action: $0.action) != nil }
            #expect(!pending.isEmpty)
            let nextYear = LocalDate(iso: "2027-09-06")!
            let batch = try await service.produceDue(
                school: school, today: nextYear, by: AuditActor("office@demo.example"), signatory: "Swyddfa")
            #expect(batch.letterIDs.isEmpty && batch.needingDetails == 0 && batch.waiting == 0)
            #expect(try await store.actions(schoolID: schoolID, year: nextYear.academicYear).isEmpty)
            // Last year's are still pending, for the new year's first run to close; this year's batch makes them.
            let stillPending = try await store.actions(schoolID: schoolID).filter {
                LetterKind(action: $0.action) != nil
            }
            #expect(stillPending.map(\.id) == pending.map(\.id))
            let now = try await service.produceDue(
                school: school, today: today, by: AuditActor("office@demo.example"), signatory: "Swyddfa")
            #expect(!now.letterIDs.isEmpty)
        }
    }
}

extension LetterTruthTests {
    /// A pupil present at every session this school year, with a parent to write to.
    static func presentPupil(_ store: Store) async throws -> UPN {
        let schoolID = try await store.requireSchool(school).id
        let year = DateRange(today.academicYear.firstDay, today)!
        for entry in try await store.roll(of: schoolID, in: DateRange(today, today)!)
        where try await !store.contacts(of: entry.pupil.upn).isEmpty {
            let calendar = try await store.calendar(for: try await store.requireSchool(school).school)
            try await store.writeMarks(
                calendar.sessions(in: year).map {
                    SchoolMark(
                        school: school,
                        mark: Mark(upn: entry.pupil.upn, session: $0, code: $0.half == .am ? "/" : "\\"))
                }, by: AuditActor("office@demo.example"), reason: "test: present")
            return entry.pupil.upn
        }
        throw StoreError.notFound("a pupil with a contact")
    }

    /// 6. "A pupil at 100% with no invitation can be sent 'We invited you … but we did not see you' … or 'often
    /// been absent … before school holidays'": by hand as by batch, each letter only on what the record shows.
    @Test func aLetterByHandSaysOnlyWhatTheRecordShows() async throws {
        try await withLetters { service, store in
            let upn = try await Self.presentPupil(store)
            let office = AuditActor("office@demo.example")
            let meeting = ["meeting_date": "2026-12-02", "meeting_time": "10:00", "meeting_place": "School office"]
            for (kind, details, lack) in [
                (LetterKind.meetingSecondInvitation, meeting, LetterConditions.Lack.noMissedMeeting),
                (.preHoliday, [:], .noPreHolidayPattern),
                (.letter1, [:], .belowThreshold(needed: 10, absent: 0)),
                (.letter3, [:], .belowThreshold(needed: 26, absent: 0)),
            ] {
                await #expect(throws: LetterProblem.recordLacks(upn, lack), "\(kind)") {
                    _ = try await service.produce(
                        kind, for: upn, school: school, details: details, today: today, by: office, signatory: "Office")
                }
            }
            #expect(try await store.letters(of: upn).isEmpty)
        }
    }

    /// 6. "Letter 3 at most once a school year unless the head sends it again with a reason."
    @Test func letterThreeGoesOnceAYearUnlessSentAgainWithAReason() async throws {
        try await withLetters { service, store in
            let office = AuditActor("office@demo.example")
            let upn = try await Self.presentPupil(store)
            let calendar = try await store.calendar(for: try await store.requireSchool(school).school)
            try await store.writeMarks(
                calendar.sessions(in: DateRange(LocalDate(iso: "2026-10-05")!, today)!).prefix(26).map {
                    SchoolMark(school: school, mark: Mark(upn: upn, session: $0, code: "I"))
                }, by: AuditActor("head@demo.example"), reason: "test: illness")
            _ = try await service.produce(
                .letter3, for: upn, school: school, details: [:], today: today, by: office, signatory: "Office")
            // (The day it went is when it was made, by the clock.)
            let second = await #expect(throws: LetterProblem.self) {
                _ = try await service.produce(
                    .letter3, for: upn, school: school, details: [:], today: today, by: office, signatory: "Office")
            }
            guard case .recordLacks(upn, .alreadySent) = second else {
                Issue.record("a second Letter 3 without a reason: \(String(describing: second))")
                return
            }
            let again = try await service.produce(
                .letter3, for: upn, school: school, details: ["resend_reason": "Sent to the old address"],
                today: today, by: AuditActor("head@demo.example"), signatory: "Head")
            #expect(!again.isEmpty)
        }
    }
}

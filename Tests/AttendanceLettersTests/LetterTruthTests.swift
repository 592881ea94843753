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

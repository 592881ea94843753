import AttendanceCore
import AttendanceInterop
import Foundation
import Testing

@testable import AttendanceStore

/// The pupils the record suggests may be missing education, on both databases: a run of unauthorised absence still
/// going with no successful contact, extended leave recorded as off the roll, an ESW case closed because the family
/// left; each gone from the list once the record answers it (a call that reached a parent, a return to school, the
/// school's referral).
extension StoreTests {
    @Test(arguments: TestDatabase.available)
    func theRecordSuggestsWhoMayBeMissingEducation(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await loadFixture(store)
            let office = AuditActor("office@example.org"), lead = AuditActor("lead@example.org")
            let schoolDays = [5, 6, 7, 8, 9, 12, 13, 14, 15, 16].map { "2026-01-\($0 < 10 ? "0" : "")\($0)" }
            // Alys and Cai: ten school days of O; Cai is back on Monday the 19th (late, after the register closed:
            // seen all the same).
            try await store.registers.importMarks(
                try ImportParser.marks(
                    marksCSV(
                        [alys, cai].flatMap { upn in
                            schoolDays.flatMap { ["\(upn),\($0),AM,O,", "\(upn),\($0),PM,O,"] }
                        }
                            + ["\(cai),2026-01-19,AM,U,25"]), codes: .wales2010), school: school, source: "t.csv",
                authorisesAt: [school])
            let today = day("2026-01-23")
            let candidates = {
                try await store.roll.missingEducationCandidates(policy: .wrexham2025, school: school, today: today)
            }
            #expect(
                try await candidates() == [
                    MissingEducationCandidate(
                        upn: alys, school: school, reasons: [.longAbsence(from: day("2026-01-05"), schoolDays: 10)])
                ])
            // A call that did not reach a parent leaves her on the list; one that did takes her off.
            let schoolID = try await store.reference.requireSchool(school).id
            try await store.procedure.logContactAttempt(
                upn: alys, schoolID: schoolID, date: day("2026-01-12"), method: .call, contactName: "Mother",
                outcome: .noAnswer, notes: nil, proposedCode: nil, by: office)
            #expect(try await candidates().map(\.upn) == [alys])
            try await store.procedure.logContactAttempt(
                upn: alys, schoolID: schoolID, date: day("2026-01-13"), method: .call, contactName: "Mother",
                outcome: .reached, notes: nil, proposedCode: nil, by: office)
            #expect(try await candidates().isEmpty)

            // Cai: extended leave recorded as off the roll, and an ESW case closed because the family left.
            let request = try await store.leave.requestLeave(
                for: cai, dates: DateRange(day("2026-02-02"), day("2026-03-13"))!, reason: "Visiting family abroad",
                category: nil, details: "", siblings: "", today: nil, by: office)
            _ = try await store.leave.decideLeave(
                request.id, school: school, kind: .offRoll, agreed: nil, reason: "Six weeks", category: nil, limit: 10,
                by: AuditActor("head@example.org"), at: ISO8601DateFormatter().date(from: "2026-01-22T09:00:00Z")!)
            try await store.identity.createUser(
                email: "esw@example.org", displayName: "Eira", passwordHash: "h", mustChangePassword: false,
                grants: [RoleGrant(role: .educationSocialWorker, school: school)], by: lead)
            let referral = try await store.esw.referToEsw(
                cai, school: school, source: .school, notes: "x", concerns: "", on: day("2026-01-20"), by: office)
            _ = try await store.esw.allocateEswCase(referral.id, to: "esw@example.org", by: lead)
            _ = try await store.esw.closeEswCase(
                referral.id, outcome: .left, reason: "Moved to Chester", by: AuditActor("esw@example.org"),
                at: ISO8601DateFormatter().date(from: "2026-01-21T10:00:00Z")!)
            let cai = try #require(try await candidates().first)
            #expect(cai.upn == Self.caiUPN)
            #expect(
                cai.reasons == [
                    .familyMoved(on: day("2026-01-21")),
                    .extendedLeave(
                        request: request.id, dates: DateRange(day("2026-02-02"), day("2026-03-13"))!,
                        decidedOn: day("2026-01-22")),
                ])
            // Every school's list has him too; once the school refers him, he is off it.
            #expect(
                try await store.roll.missingEducationCandidates(policy: .wrexham2025, school: nil, today: today).map(
                    \.upn)
                    == [Self.caiUPN])
            _ = try await store.roll.referMissingEducation(
                Self.caiUPN, school: school, reason: "Moved, not known where", on: today, by: office)
            #expect(try await candidates().isEmpty)
        }
    }

    static let caiUPN = cai
}

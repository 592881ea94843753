import AttendanceCore
import AttendanceInterop
import Foundation
import Testing

@testable import AttendanceStore

/// Leave requests and parents' reports on both databases: kept, decided once, and what a decision writes.
extension StoreTests {
    @Test(arguments: TestDatabase.available)
    func leaveIsAskedDecidedOnceAndMarksTheRegister(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await loadFixture(store)
            let head = AuditActor("head@example.org")
            // Mon 1 to Wed 3 December 2025; Wednesday already marked N at the register.
            let asked = DateRange(LocalDate(iso: "2025-12-01")!, LocalDate(iso: "2025-12-03")!)!
            try await store.registers.importMarks(
                try ImportParser.marks(marksCSV(["\(alys),2025-12-03,AM,N,"]), codes: .wales2010), school: school,
                source: "t.csv", authorisesAt: [school])
            let request = try await store.leave.requestLeave(
                for: alys, dates: asked, reason: "A wedding", category: nil, details: "", siblings: "Cai",
                today: nil, by: AuditActor("parent@example.org"))
            #expect(try await store.leave.leaveRequests(school: school).map(\.id) == [request.id])
            await #expect(throws: StoreError.leave(.overLimit(agreedBefore: 0, asked: 3, limit: 2))) {
                _ = try await store.leave.decideLeave(
                    request.id, school: school, kind: .agreed, agreed: asked, reason: "Yes", category: nil,
                    limit: 2, by: head)
            }
            let decided = try await store.leave.decideLeave(
                request.id, school: school, kind: .agreed,
                agreed: DateRange(LocalDate(iso: "2025-12-01")!, LocalDate(iso: "2025-12-02")!), reason: "Two days",
                category: nil, limit: 10, by: head)
            #expect(decided.status == .partlyAgreed && decided.decision?.decidedBy == "head@example.org")
            let codes = Dictionary(
                uniqueKeysWithValues: try await store.registers.marks(of: alys, in: asked).map {
                    ($0.mark.session.description, $0.mark.code)
                })
            #expect(codes["2025-12-01 AM"] == "H" && codes["2025-12-02 PM"] == "H" && codes["2025-12-03 AM"] == "G")
            #expect(codes["2025-12-03 PM"] == nil)
            #expect(
                try await store.leave.leaveDaysAgreed(alys, school: school, year: AcademicYear(startYear: 2025)) == 2)
            await #expect(throws: StoreError.leave(.alreadyDecided)) {
                _ = try await store.leave.decideLeave(
                    request.id, school: school, kind: .refused, agreed: nil, reason: "No", category: nil, limit: 10,
                    by: head)
            }
            // A parent's report: kept with its proposed code, confirmed once with the head's code.
            let report = try await store.leave.reportAbsence(
                for: cai, dates: DateRange(LocalDate(iso: "2025-12-04")!, LocalDate(iso: "2025-12-04")!)!,
                part: .afternoon, reason: .religious, note: "Eid", today: LocalDate(iso: "2025-12-01")!,
                by: AuditActor("parent@example.org"))
            #expect(report.proposedCode == "R")
            #expect(try await store.leave.absenceReports(school: school, on: LocalDate(iso: "2025-12-04")!).count == 1)
            try await store.leave.confirmAbsenceReport(report.id, school: school, code: "R", by: head)
            let marks = try await store.registers.marks(of: cai, in: report.dates)
            #expect(marks.map { "\($0.mark.session) \($0.mark.code)" } == ["2025-12-04 PM R"])
        }
    }
}

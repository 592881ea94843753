import AttendanceCore
import AttendanceInterop
import Foundation
import Testing

@testable import AttendanceStore

/// Issue 37: the retention dry run lists what a schedule would remove, and nothing inside the kept period.
@Suite struct RetentionStoreTests {
    @Test(arguments: TestDatabase.available)
    func theDryRunListsNothingInsideTheKeptPeriod(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await loadFixture(store)
            try await store.registers.importMarks(
                try ImportParser.marks(
                    marksCSV(["\(alys),2025-10-06,AM,N,", "\(alys),2025-10-06,PM,\\,", "\(cai),2025-10-06,AM,/,"]),
                    codes: store.codes),
                school: nil, source: "m.csv", authorisesAt: [LAESTAB(la: 665, estab: 4001)])
            // 2025/26's register is kept through 2028/29 (three school years after its own): nothing is due.
            for text in ["2025-11-25", "2026-11-25", "2029-08-31"] {
                let due = try await store.dataProtection.retentionDue(.shipped, on: day(text))
                #expect(due.map(\.record) == RetainedRecord.allCases)
                #expect(due.allSatisfy { $0.rows == 0 }, "\(text)")
            }
            // From 2029/30 the year's two pupil-years of marks are due; the audit trail (six years) is not.
            let due = try await store.dataProtection.retentionDue(.shipped, on: day("2029-09-01"))
            let registers = try #require(due.first { $0.record == .registers })
            #expect(registers.rows == 2 && registers.oldest == AcademicYear(startYear: 2025))
            #expect(registers.keptFrom == AcademicYear(startYear: 2026))
            #expect(due.first { $0.record == .auditTrail }?.rows == 0)
            // A dry run removes nothing.
            #expect(try await store.dataProtection.retentionDue(.shipped, on: day("2029-09-01")) == due)
        }
    }
}

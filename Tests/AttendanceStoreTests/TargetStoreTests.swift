import AttendanceCore
import Foundation
import SQLKit
import Testing

@testable import AttendanceStore

/// Attendance targets (issue 34, point 1): the head sets their school's; the Education Lead proposes one to every
/// school that has not, never over a head's; both audited.
@Suite struct TargetStoreTests {
    let year = AcademicYear(startYear: 2025)
    let other = LAESTAB(la: 665, estab: 2001)

    @Test(arguments: TestDatabase.available)
    func theLeadProposesTheHeadDecidesAndAProposalNeverReplacesAHeadsTarget(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await loadFixture(store)
            #expect(try await store.targets.targets(for: year).isEmpty)
            try await store.targets.setTarget(school, for: year, tenths: 955, by: AuditActor("head@school"))
            // Two presses of "Propose" at once: the other school gets the proposal once; the head's target stays.
            async let first = store.targets.proposeTargets(for: year, tenths: 950, by: AuditActor("lead@la"))
            async let second = store.targets.proposeTargets(for: year, tenths: 950, by: AuditActor("lead@la"))
            let (a, b) = try await (first, second)
            #expect(a + b == 1)
            var targets = try await store.targets.targets(for: year)
            #expect(targets[school]?.tenths == 955 && targets[school]?.state == .set)
            #expect(targets[other]?.tenths == 950 && targets[other]?.state == .proposed)
            #expect(targets[other]?.percentText == "95.0%" && targets[other]?.by == "lead@la")
            // The head of the other school confirms it at another figure; a new proposal leaves it alone.
            try await store.targets.setTarget(other, for: year, tenths: 940, by: AuditActor("head2@school"))
            #expect(try await store.targets.proposeTargets(for: year, tenths: 960, by: AuditActor("lead@la")) == 0)
            targets = try await store.targets.targets(for: year)
            #expect(targets[other]?.tenths == 940 && targets[other]?.state == .set)
            // Another year is another target.
            #expect(try await store.targets.target(school, for: AcademicYear(startYear: 2026)) == nil)
            // Out of range: refused, nothing written.
            await #expect(throws: StoreError.target(.outOfRange)) {
                try await store.targets.setTarget(school, for: year, tenths: 1001, by: AuditActor("head@school"))
            }
            let audit = try await store.auditTrail.search(AuditQuery()).filter { $0.action.hasPrefix("target.") }
            #expect(audit.filter { $0.action == "target.set" }.count == 2)
            #expect(audit.filter { $0.action == "target.proposed" }.count == 1)
            let changed = try #require(audit.first { $0.action == "target.set" && $0.school == other })
            #expect(changed.before?.contains("95.0%") == true && changed.after?.contains("94.0%") == true)
        }
    }
}

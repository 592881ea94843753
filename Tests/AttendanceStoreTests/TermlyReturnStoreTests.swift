import AttendanceCore
import AttendanceInterop
import Foundation
import Testing

@testable import AttendanceStore

/// The Welsh Government's termly return (issue 36, point 3) on the demo's registers.
@Suite struct TermlyReturnStoreTests {
    @Test(arguments: TestDatabase.available)
    func theReturnsTotalsAreTheSchoolsReportForTheTerm(_ database: TestDatabase) async throws {
        try await database.withStore { store in
            let today = day("2026-11-25")
            try await store.demo.load(
                DemoAuthority(options: .init(schools: 2, pupilsPerSchool: 120, until: today, seed: 3)))
            let year = today.academicYear
            for stored in try await store.reference.schools() {
                let school = stored.school
                let calendar = try await store.reference.calendar(for: school)
                let days = try #require(SchoolTerm.autumn.range(in: calendar, year: year))
                #expect(days.start.month == 9 && days.end.month == 12)
                let rows = TermlyReturnRow.rows(
                    school: school.laestab, year: year, term: .autumn, termDays: days,
                    roll: try await store.registers.rollYears(school.laestab, year: year), table: store.codes,
                    rules: store.rules)
                let report = try await store.registers.schoolReport(school.laestab, in: days)
                // Every pupil the report counts who was of compulsory school age in the term has one row, and the
                // sessions of those pupils are the report's, session for session.
                let ofAge = report.filter {
                    let age = CompulsorySchoolAge(dateOfBirth: $0.pupil.dateOfBirth)
                    return age.starts <= days.start && age.ends >= days.end
                }
                let partly = report.filter {
                    let age = CompulsorySchoolAge(dateOfBirth: $0.pupil.dateOfBirth)
                    return !(age.starts <= days.start && age.ends >= days.end)
                }
                let whole = Set(ofAge.map(\.pupil.upn))
                let fromRows = rows.filter { whole.contains($0.pupil.upn) }.map(\.summary)
                    .reduce(AttendanceSummary.empty(), +)
                let fromReport = ofAge.map(\.summary).reduce(AttendanceSummary.empty(), +)
                #expect(Set(rows.map(\.pupil.upn)).isSuperset(of: whole))
                #expect(fromRows.possible == fromReport.possible && fromRows.attended == fromReport.attended)
                #expect(
                    fromRows.authorised == fromReport.authorised && fromRows.unauthorised == fromReport.unauthorised)
                if school.phase == .secondary {
                    #expect(partly.isEmpty && rows.count == report.count)
                }
                // A pupil who is not yet of compulsory school age on any day of the term has no row.
                for line in partly where CompulsorySchoolAge(dateOfBirth: line.pupil.dateOfBirth).starts > days.end {
                    #expect(!rows.contains { $0.pupil.upn == line.pupil.upn })
                }
                // Every row has a value for every column, in order.
                #expect(rows.allSatisfy { $0.cells.count == TermlyReturnRow.columns.count })
            }
        }
    }
}

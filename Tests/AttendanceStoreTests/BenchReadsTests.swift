import AttendanceCore
import AttendanceInterop
import Foundation
import Testing

@testable import AttendanceStore

/// The bench's comparison with DuckDB reads the year strings a page at a time: the pages together are every
/// pupil's string of that year once, in id order, whatever the page's size.
struct BenchReadsTests {
    @Test(arguments: TestDatabase.available)
    func pagesOfYearStringsCoverEveryPupilOnce(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await loadFixture(store)
            let school = LAESTAB(la: 665, estab: 4001)
            let csv = marksCSV([
                "\(alys),2025-10-06,AM,/,", "\(bryn),2025-10-06,AM,N,", "\(cai),2025-10-06,AM,O,",
                "\(cai),2025-10-07,PM,\\,",
            ])
            _ = try await store.registers.importMarks(
                try ImportParser.marks(csv, codes: store.codes), school: school, source: "m.csv",
                authorisesAt: [school])
            let year = AcademicYear(startYear: 2025)
            let whole = try await store.bench.yearMarkStrings(year: year, after: Int.min, limit: 100)
            #expect(whole.count == 3)
            #expect(whole.map(\.pupilID) == whole.map(\.pupilID).sorted())
            var paged: [(pupilID: Int, marks: [UInt8])] = []
            var last = Int.min
            // Bounded, so that a page that does not move on fails the test rather than hangs it.
            for _ in 0..<10 {
                let page = try await store.bench.yearMarkStrings(year: year, after: last, limit: 2)
                #expect(page.count <= 2)
                guard let end = page.last?.pupilID else { break }
                paged += page
                last = end
            }
            #expect(paged.map(\.pupilID) == whole.map(\.pupilID))
            #expect(paged.map(\.marks) == whole.map(\.marks))
            // Each string is that pupil's own: Cai's holds two marks, the others one.
            #expect(whole.map { $0.marks.filter { $0 != 0 }.count }.sorted() == [1, 1, 2])
            #expect(try await store.bench.yearMarkStrings(year: year.next, after: Int.min, limit: 100).isEmpty)
        }
    }
}

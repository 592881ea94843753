import AttendanceCore
import AttendanceInterop
import Foundation
import SQLKit
import Testing

@testable import AttendanceStore

/// The list for an ESW's school visit on both databases: the pupils on the roll below 92% now, lowest first, with
/// the change since the last visit before today, from the register as it stands.
extension StoreTests {
    @Test(arguments: TestDatabase.available)
    func aSchoolVisitListsThePupilsBelow92WithTheirTrend(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await loadFixture(store)
            let esw = AuditActor("esw@example.org")
            try await store.registers.importMarks(
                try ImportParser.marks(
                    marksCSV([
                        // Alys: 3 of 4 to the visit on Tuesday 6 January, 6 of 7 by Thursday.
                        "\(alys),2026-01-05,AM,/,", "\(alys),2026-01-05,PM,O,", "\(alys),2026-01-06,AM,/,",
                        "\(alys),2026-01-06,PM,\\,", "\(alys),2026-01-07,AM,/,", "\(alys),2026-01-07,PM,\\,",
                        "\(alys),2026-01-08,AM,/,",
                        // Cai: 2 of 4 to the visit, 2 of 6 by Thursday.
                        "\(cai),2026-01-05,AM,O,", "\(cai),2026-01-05,PM,O,", "\(cai),2026-01-06,AM,/,",
                        "\(cai),2026-01-06,PM,\\,", "\(cai),2026-01-07,AM,O,", "\(cai),2026-01-07,PM,O,",
                    ]), codes: .wales2010), school: school, source: "t.csv", authorisesAt: [school])
            let before = try await store.esw.schoolVisitList(school, on: day("2026-01-08"))
            #expect(before.lastVisit == nil)
            #expect(before.lines.map(\.pupil.upn) == [cai, alys])
            #expect(before.lines.allSatisfy { $0.trend == .new && $0.change == nil })
            let visit = try await store.esw.recordSchoolVisit(
                school, on: day("2026-01-06"), metWith: "Mrs Hughes, deputy head", notes: "Alys and Cai", by: esw)
            // A visit recorded on the day is the one under way: the trend is from the one before.
            _ = try await store.esw.recordSchoolVisit(
                school, on: day("2026-01-08"), metWith: "Mrs Hughes", notes: "", by: esw)
            let listing = try await store.esw.schoolVisitList(school, on: day("2026-01-08"))
            #expect(listing.lastVisit == visit)
            #expect(listing.lines.map(\.pupil.upn) == [cai, alys])
            #expect(listing.lines.map { $0.now.attendanceTenths } == [333, 857])
            #expect(listing.lines.map { $0.atLastVisit?.attendanceTenths } == [500, 750])
            #expect(listing.lines.map(\.change) == [-167, 107])
            #expect(listing.lines.map(\.trend) == [.down, .up])
            #expect(try await store.esw.schoolVisits(school).map(\.on) == [day("2026-01-08"), day("2026-01-06")])
            // Visits are kept as recorded.
            await #expect(throws: (any Error).self) {
                try await store.sql.raw("UPDATE school_visits SET notes = 'changed'").run()
            }
            // A pupil at 92% or more is not on the list; nor is one who has left the roll.
            try await store.registers.importMarks(
                try ImportParser.marks(
                    marksCSV(
                        [9, 12, 13, 14, 15, 16, 19, 20, 21, 22, 23].map {
                            "\(alys),2026-01-\($0 < 10 ? "0" : "")\($0),AM,/,"
                        }),
                    codes: .wales2010), school: school, source: "u.csv", authorisesAt: [school])
            #expect(try await store.esw.schoolVisitList(school, on: day("2026-01-23")).lines.map(\.pupil.upn) == [cai])
        }
    }
}

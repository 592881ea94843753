import AttendanceCore
import Foundation
import Testing

@testable import AttendanceStore

/// On SQLite a run's year strings come back as one blob with "pupil year length" listed beside it: the list
/// must add up to the blob exactly, or the read fails rather than hand a pupil another's marks.
struct YearStringsTests {
    private let year = AcademicYear(startYear: 2025)

    @Test func aListThatAddsUpGivesEachPupilTheirOwnBytes() throws {
        let count = year.sessionSlotCount
        let first = [UInt8](repeating: UInt8(ascii: "/"), count: count)
        let second = [UInt8](repeating: UInt8(ascii: "O"), count: count)
        let read = try RegisterRepository.yearStrings(
            keys: "12 2025 \(count),7 2025 \(count)", blob: Data(first + second))
        #expect(read.map(\.pupil) == [12, 7])
        #expect(read[0].marks == YearMarks(academicYear: year, bytes: first))
        #expect(read[1].marks == YearMarks(academicYear: year, bytes: second))
        #expect(try RegisterRepository.yearStrings(keys: "", blob: Data()).isEmpty)
    }

    @Test func aListThatDoesNotAddUpIsCorrupt() {
        let blob = Data(repeating: 1, count: 10)
        for keys in [
            "1 2025 11", "1 2025 9", "1 2025", "1 2025 5,2 2025", "1 2025 5,,2 2025 5", "1 2025 x10", "1  2025 10",
        ] {
            #expect(throws: StoreError.self, "\(keys)") { try RegisterRepository.yearStrings(keys: keys, blob: blob) }
        }
    }

    /// A procedure run's roll comes back the same way, as "school id upn date,…".
    @Test func aRollReadsBackEntryByEntryOrNotAtAll() throws {
        func entries(_ text: String) throws -> [String] {
            var text = text
            return try text.withUTF8(ProcedureRepository.rollEntries).map {
                "\($0.school)|\($0.id)|\($0.upn)|\($0.dateOfBirth)"
            }
        }
        #expect(
            try entries("3 17 A123456789012 2014-09-01,12 4 B210987654321 2015-01-31")
                == ["3|17|A123456789012|2014-09-01", "12|4|B210987654321|2015-01-31"])
        #expect(try entries("").isEmpty)
        for text in [
            "3 17 A123456789012", "3 17 A123456789012 2014-09-01,", "3  17 A1 2014-09-01", "x 17 A1 2014-09-01",
            "3 1x A1 2014-09-01", "3 17 A1 2014-09-01 extra", ",3 17 A1 2014-09-01", "3 17 A1 2014-09-01,,4 1 B1 d",
        ] {
            #expect(throws: StoreError.self, "\(text)") { try entries(text) }
        }
    }
}

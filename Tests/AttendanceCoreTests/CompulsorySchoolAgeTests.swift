import Testing

@testable import AttendanceCore

@Suite struct CompulsorySchoolAgeTests {
    @Test(arguments: [
        // born, first day of compulsory school age, last day
        ("2020-09-01", "2025-12-31", "2037-06-26"),  // fifth birthday 1 Sep 2025 -> 31 Dec; 16 in 2036/37
        ("2020-12-31", "2025-12-31", "2037-06-26"),  // birthday on a prescribed day: starts that day
        ("2021-01-01", "2026-03-31", "2037-06-26"),
        ("2021-04-01", "2026-08-31", "2037-06-26"),
        ("2021-08-31", "2026-08-31", "2037-06-26"),  // summer-born: leaves at 15, before the 16th birthday
        ("2016-02-29", "2021-03-31", "2032-06-25"),  // leap-day birth: fifth birthday in a common year
        ("2020-02-29", "2025-03-31", "2036-06-27"),  // 16th birthday on a real 29 Feb 2036 (2035/36)
        ("2019-08-31", "2024-08-31", "2035-06-29"),  // prescribed-day birthday at the very end of the year
    ])
    func startAndEnd(born: String, starts: String, ends: String) {
        let age = CompulsorySchoolAge(dateOfBirth: day(born))
        #expect(age.starts == day(starts))
        #expect(age.ends == day(ends))
        #expect(age.ends.weekday == .friday)
        #expect(age.isOfCompulsorySchoolAge(on: day(starts)))
        #expect(!age.isOfCompulsorySchoolAge(on: day(starts).adding(days: -1)))
        #expect(age.isOfCompulsorySchoolAge(on: day(ends)))
        #expect(!age.isOfCompulsorySchoolAge(on: day(ends).adding(days: 1)))
    }
}

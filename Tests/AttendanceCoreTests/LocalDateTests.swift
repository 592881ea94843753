import Foundation
import Testing

@testable import AttendanceCore

@Suite struct LocalDateTests {
    @Test(arguments: [
        ("2024-02-29", true), ("2025-02-29", false), ("2000-02-29", true), ("1900-02-29", false),
        ("2025-04-31", false), ("2025-13-01", false), ("2025-1-01", false), ("20250101", false),
        ("2025-12-31", true), ("abcd-ef-gh", false), ("0001-01-01", true), ("2025-01-011", false),
        ("2025-01-0", false), ("2025-01--1", false), ("2025/01/01", false), ("", false),
    ])
    func parsesOnlyRealDays(text: String, valid: Bool) {
        #expect((LocalDate(iso: text) != nil) == valid)
        if valid { #expect(LocalDate(iso: text)!.iso == text) }
    }

    @Test func dayNumbersRoundTripAcrossCenturies() {
        for number in stride(from: -800_000, to: 800_000, by: 997) {
            #expect(LocalDate(dayNumber: number).dayNumber == number)
        }
        #expect(LocalDate(iso: "1970-01-01")!.dayNumber == 0)
        #expect(LocalDate(iso: "2024-03-01")!.adding(days: -1).iso == "2024-02-29")
        #expect(LocalDate(iso: "2025-03-01")!.adding(days: -1).iso == "2025-02-28")
    }

    @Test(arguments: [
        ("2025-09-01", Weekday.monday), ("2025-09-06", .saturday), ("2024-02-29", .thursday),
        ("1970-01-01", .thursday), ("2026-11-29", .sunday),
    ])
    func weekdays(text: String, weekday: Weekday) {
        #expect(LocalDate(iso: text)!.weekday == weekday)
    }

    @Test(arguments: [
        ("2025-09-01", 2025), ("2025-08-31", 2024), ("2026-01-15", 2025), ("2026-08-31", 2025),
    ])
    func academicYearRunsSeptemberToAugust(text: String, startYear: Int) {
        #expect(LocalDate(iso: text)!.academicYear == AcademicYear(startYear: startYear))
    }

    @Test func academicYearLengthFollowsLeapFebruary() {
        #expect(AcademicYear(startYear: 2023).dayCount == 366)  // contains 29 February 2024
        #expect(AcademicYear(startYear: 2024).dayCount == 365)
        #expect(AcademicYear(startYear: 2025).description == "2025/26")
        #expect(AcademicYear(startYear: 2099).description == "2099/00")
    }

    @Test func sessionSlotsRoundTrip() {
        let year = AcademicYear(startYear: 2023)
        for slot in 0..<year.sessionSlotCount {
            let session = SchoolSession(academicYear: year, slot: slot)
            #expect(session.slotInAcademicYear == slot)
            #expect(session.date.academicYear == year)
        }
        #expect(SchoolSession(LocalDate(iso: "2023-09-01")!, .pm).slotInAcademicYear == 1)
        #expect(SchoolSession(LocalDate(iso: "2024-08-31")!, .pm).slotInAcademicYear == 731)
        #expect(SchoolSession(LocalDate(iso: "2024-02-29")!, .am).description == "2024-02-29 AM")
    }

    @Test func rangesClampAndCount() {
        let range = DateRange(LocalDate(iso: "2025-10-01")!, LocalDate(iso: "2025-10-31")!)!
        #expect(range.dayCount == 31)
        #expect(DateRange(LocalDate(iso: "2025-10-02")!, LocalDate(iso: "2025-10-01")!) == nil)
        let other = DateRange(LocalDate(iso: "2025-10-20")!, LocalDate(iso: "2025-11-20")!)!
        #expect(range.clamped(to: other)!.dayCount == 12)
        let apart = DateRange(LocalDate(iso: "2025-12-01")!, LocalDate(iso: "2025-12-02")!)!
        #expect(range.clamped(to: apart) == nil)
    }
}

@Suite struct WallClockTests {
    @Test func todayAndNowFollowTheCalendarsTimeZone() {
        var london = Calendar(identifier: .gregorian)
        london.timeZone = TimeZone(identifier: "Europe/London")!
        // 2026-06-30 23:30 UTC is already 1 July, 00:30, in summer-time London.
        let instant = Date(timeIntervalSince1970: 1_782_862_200)
        #expect(LocalDate.today(at: instant, calendar: london).iso == "2026-07-01")
        #expect(TimeOfDay.now(at: instant, calendar: london).description == "00:30")
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        #expect(LocalDate.today(at: instant, calendar: utc).iso == "2026-06-30")
    }
}

import Foundation
import Testing

@testable import AttendanceCore

@Suite struct RetentionScheduleTests {
    @Test func theShippedScheduleKeepsRegistersThreeYearsAfterTheirOwn() {
        let day = LocalDate(iso: "2026-11-25")!
        #expect(RetentionSchedule.shipped.keptFrom(.registers, on: day) == AcademicYear(startYear: 2023))
        #expect(RetentionSchedule.shipped.keptFrom(.auditTrail, on: day) == AcademicYear(startYear: 2020))
        // On the last day of a school year, that year is still the current one.
        #expect(
            RetentionSchedule.shipped.keptFrom(.registers, on: LocalDate(iso: "2027-08-31")!)
                == AcademicYear(startYear: 2023))
    }

    @Test func aScheduleThatWouldRemoveTooSoonIsRefused() throws {
        var years = RetentionSchedule.shipped.years
        years[.registers] = 2
        #expect(throws: RetentionSchedule.Problem.tooShort(.registers, minimum: 3)) {
            try RetentionSchedule(years: years)
        }
        years = RetentionSchedule.shipped.years
        years[.letters] = 10
        #expect(throws: RetentionSchedule.Problem.tooShort(.auditTrail, minimum: 10)) {
            try RetentionSchedule(years: years)
        }
        years[.letters] = nil
        #expect(throws: RetentionSchedule.Problem.missing(.letters)) { try RetentionSchedule(years: years) }
        years[.letters] = 0
        #expect(throws: RetentionSchedule.Problem.outOfRange(.letters)) { try RetentionSchedule(years: years) }
    }

    @Test func aScheduleIsReadFromJSON() throws {
        let json = """
            {"keep_school_years_after": {"registers": 4, "procedure_actions": 7, "letters": 7, "esw_cases": 7,
             "penalty_cases": 7, "audit_trail": 8}}
            """
        let schedule = try RetentionSchedule(json: Data(json.utf8))
        #expect(schedule.years[.registers] == 4 && schedule.years[.auditTrail] == 8)
        #expect(throws: RetentionSchedule.Problem.self) {
            try RetentionSchedule(json: Data(#"{"keep_school_years_after": {"marks": 3}}"#.utf8))
        }
        #expect(throws: RetentionSchedule.Problem.self) { try RetentionSchedule(json: Data("[".utf8)) }
    }
}

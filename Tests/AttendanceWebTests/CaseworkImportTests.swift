import AttendanceCore
import AttendanceInterop
import Foundation
import SQLKit
import Testing

@testable import AttendanceStore
@testable import AttendanceWeb

/// Issue 31, point 17: "Imports keep the head's authority".
@Suite struct CaseworkImportTests {
    static func marks(_ lines: [String]) throws -> [Numbered<Mark>] {
        try ImportParser.marks(
            "upn,date,session,code,minutes_late\n" + lines.joined(separator: "\n") + "\n", codes: .wales2010)
    }

    /// A marks import is judged by the register's own rules: O over a present mark needs someone who may authorise
    /// absence (the head decides unauthorised as much as authorised); illness after Letter 3 needs the evidence
    /// recorded, whoever imports it; each refusal names the line, and nothing is written.
    @Test(arguments: WebTestDatabase.available)
    func aMarksImportIsJudgedByTheRegistersRules(_ database: WebTestDatabase) async throws {
        try await withWebApp(on: database) { _, store in
            let pupil = try await CaseworkPenaltyTests.presentPupil(store)
            let upn = pupil.upn.value
            let lines = ["\(upn),2026-11-23,AM,O,", "\(upn),2026-11-23,PM,\\,"]
            do {
                try await store.registers.importMarks(try Self.marks(lines), school: mainSchool, source: "mis.csv")
                Issue.record("O over a present mark was imported without the head's authority")
            } catch let problems as ImportProblems {
                #expect(problems.problems.map(\.line) == [2])
                #expect(problems.description.contains("needs someone who may authorise absence at 6654001"))
            }
            #expect(
                try await store.registers.marks(of: pupil.upn, in: DateRange(day: LocalDate(iso: "2026-11-23")!)).map(
                    \.mark.code)
                    == ["/", "\\"])
            let result = try await store.registers.importMarks(
                try Self.marks(lines), school: mainSchool, source: "mis.csv", by: AuditActor("head@demo.example"),
                authorisesAt: [mainSchool])
            #expect(result.amended == 1)
            // Illness after Letter 3 without evidence: refused, as on the register, even for the head.
            try await store.sql.raw(
                """
                INSERT INTO procedure_actions (pupil_id, school_id, academic_year, key, action, basis, count, sessions,
                status, due_on, recorded_by, recorded_at, status_changed_by, status_changed_at)
                SELECT id, (SELECT id FROM schools WHERE laestab = '6654001'), 2026, 'letter_3/2026', 'letter_3',
                'absence', 26, '', 'done', '2026-11-02', 'system', '2026-11-02T18:00:00.000Z', 'office',
                '2026-11-02T18:00:00.000Z' FROM pupils WHERE upn = \(bind: upn)
                """
            ).run()
            do {
                try await store.registers.importMarks(
                    try Self.marks(["\(upn),2026-11-24,AM,I,"]), school: mainSchool, source: "mis.csv",
                    by: AuditActor("head@demo.example"), authorisesAt: [mainSchool])
                Issue.record("illness after Letter 3 without evidence was imported")
            } catch let problems as ImportProblems {
                #expect(problems.description.contains("line 2: code: I after Letter 3 needs the medical evidence"))
            }
        }
    }

    /// "An import row whose enrolment overlaps an existing enrolment at the same school is refused naming the
    /// line (today it silently adds a second, overlapping enrolment)."
    @Test(arguments: WebTestDatabase.available)
    func aPupilsRowOverlappingAnEnrolmentIsRefused(_ database: WebTestDatabase) async throws {
        try await withWebApp(on: database) { _, store in
            let pupil = try #require(try await onRollToday(store).first)
            let stored = try await store.reference.requirePupil(pupil.upn)
            let spell = try #require(stored.enrolments.first { $0.school == mainSchool })
            let overlapping =
                "upn,surname,forename,dob,sex,year_group,registration_group,fsm,lac,on_roll_from\n"
                + "\(pupil.upn),\(pupil.legalSurname),\(pupil.legalForename),\(pupil.dateOfBirth),\(pupil.sex.rawValue),"
                + "\(pupil.yearGroup),\(pupil.registrationGroup),N,N,\(spell.onRollFrom.adding(days: 7))\n"
            do {
                _ = try await store.reference.importPupils(try ImportParser.pupils(overlapping), school: mainSchool)
                Issue.record("an overlapping enrolment was imported")
            } catch let problems as ImportProblems {
                #expect(problems.problems.map(\.line) == [2])
                #expect(problems.description.contains("is already on the roll of 6654001 from \(spell.onRollFrom)"))
            }
            #expect(try await store.reference.requirePupil(pupil.upn).enrolments.count == stored.enrolments.count)
        }
    }
}

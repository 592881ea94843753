import AttendanceCore
import AttendanceInterop
import Foundation
import SQLKit
import Testing

@testable import AttendanceStore

@Suite struct ProcedureStoreTests {
    @Test(arguments: TestDatabase.available)
    func aRunRecordsOnceWithdrawsAfterACorrectionAndTurnsOldNsIntoO(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await loadFixture(store)
            let calendar = try await store.reference.calendar(
                for: try await store.reference.requireSchool(school).school)
            // Alys: ten unauthorised sessions from 3 November, one of them an N with no reason.
            var lines: [String] = []
            var absent = 0
            for session in calendar.sessions(in: DateRange(day("2025-11-03"), day("2025-11-28"))!) {
                let code = absent < 9 ? "O" : absent == 9 ? "N" : (session.half == .am ? "/" : "\\")
                lines.append("\(alys),\(session.date),\(session.half.rawValue),\(code),")
                absent += 1
            }
            try await store.registers.importMarks(
                try ImportParser.marks(marksCSV(lines), codes: store.codes), school: school, source: "m.csv",
                authorisesAt: [school])
            let asOf = day("2025-11-28")
            let dry = try await store.procedure.runProcedure(policy: .wrexham2025, asOf: asOf, dryRun: true)
            #expect(dry.recorded == 0)
            let letter = try #require(dry.lines.first { $0.upn == alys && $0.due.action == .letter1 })
            #expect(letter.due.count == 10)
            #expect(try await count(store, "procedure_actions") == 0)
            let first = try await store.procedure.runProcedure(policy: .wrexham2025, asOf: asOf, dryRun: false)
            #expect(first.recorded > 0)
            #expect(first.convertedToO == 1)  // the N of 6 November is more than ten school days old
            let history = try await store.registers.amendments(of: alys)
            #expect(history.last?.oldCode == "N" && history.last?.newCode == "O")
            #expect(
                history.last?.changedBy == "system"
                    && history.last?.reason == ProcedureRepository.noReasonConversion(.wrexham2025))
            let second = try await store.procedure.runProcedure(policy: .wrexham2025, asOf: asOf, dryRun: false)
            // This once failed about one run in a hundred and could not be reproduced since (1,400 runs on both
            // databases): if it fails again, the message says which actions the second run recorded or withdrew.
            #expect(
                second.recorded == 0 && second.withdrawn == 0 && second.convertedToO == 0,
                """
                second run: \(second.recorded) recorded, \(second.withdrawn) withdrawn, \(second.convertedToO) to O; \
                new: \(second.lines.filter { !$0.alreadyRecorded }.map { "\($0.upn) \($0.due.key)" }); \
                withdrawn: \(second.lines.filter { $0.withdrawnBecause != nil }.map { "\($0.upn) \($0.due.key)" })
                """)
            // A correction takes Alys under the Letter 1 line before it was sent: it is withdrawn, not deleted.
            let pupil = try await store.reference.requirePupil(alys)
            let schoolID = try await store.reference.requireSchool(school).id
            try await store.registers.writeMarks(
                [
                    MarkEntry(
                        pupilID: pupil.id, schoolID: schoolID,
                        mark: Mark(upn: alys, session: SchoolSession(day("2025-11-03"), .am), code: "/"))
                ],
                by: AuditActor("office"), reason: "Was on a school trip, marked wrongly")
            let third = try await store.procedure.runProcedure(policy: .wrexham2025, asOf: asOf, dryRun: false)
            #expect(third.withdrawn >= 1)
            let status = try await store.sql.raw(
                "SELECT status, status_note FROM procedure_actions WHERE key = 'letter_1/2025'"
            ).first()
            #expect(try status?.decode(column: "status", as: String.self) == "withdrawn")
            let note = try status?.decode(column: "status_note", as: String?.self) ?? ""
            #expect(note.contains("2025-11-03 AM O → / by office: Was on a school trip, marked wrongly"), "\(note)")
            #expect(try await count(store, "procedure_actions") == first.recorded)
            #expect(
                try await store.auditTrail.search(AuditQuery()).contains {
                    $0.action == "procedure.withdrawn" && $0.upn == alys
                })
        }
    }

    /// A run over the authority reads every school's roll, marks and actions at once; a pupil on two schools'
    /// rolls (dual registration) is read again before the second school, so the action the first school's part
    /// recorded is not recorded twice, and a second run records nothing.
    @Test(arguments: TestDatabase.available)
    func aPupilOnTwoRollsIsRecordedOnceInAWholeAuthorityRun(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await loadFixture(store)
            let other = LAESTAB(la: 665, estab: 2001)
            try await store.reference.importPupils(
                try ImportParser.pupils(
                    """
                    upn,surname,forename,dob,sex,year_group,registration_group,fsm,lac,on_roll_from,on_roll_to
                    \(alys),Jones,Alys,2014-03-02,F,7,7A,N,N,2025-09-01,
                    """), school: other)
            let calendar = try await store.reference.calendar(
                for: try await store.reference.requireSchool(school).school)
            let lines = calendar.sessions(in: DateRange(day("2025-11-03"), day("2025-11-14"))!).map {
                "\(alys),\($0.date),\($0.half.rawValue),O,"
            }
            try await store.registers.importMarks(
                try ImportParser.marks(marksCSV(lines), codes: store.codes), school: school, source: "m.csv",
                authorisesAt: [school])
            let asOf = day("2025-11-14")
            let dry = try await store.procedure.runProcedure(policy: .wrexham2025, asOf: asOf, dryRun: true)
            // Listed under each school whose roll she is on.
            #expect(
                Set(dry.lines.filter { $0.upn == alys && $0.due.action == .letter1 }.map(\.school)) == [school, other])
            let first = try await store.procedure.runProcedure(policy: .wrexham2025, asOf: asOf, dryRun: false)
            #expect(first.recorded > 0)
            let letters = try await store.sql.raw(
                "SELECT COUNT(*) AS n FROM procedure_actions WHERE key = 'letter_1/2025'"
            ).first()?.decode(column: "n", as: Int.self)
            #expect(letters == 1)
            let second = try await store.procedure.runProcedure(policy: .wrexham2025, asOf: asOf, dryRun: false)
            #expect(second.recorded == 0 && second.withdrawn == 0)
        }
    }

    /// Writes an action row directly, as an earlier run (or an earlier year) left it.
    static func record(
        _ store: Store, upn: UPN, year: Int, key: String, action: ProcedureAction, status: RecordedAction.Status,
        on date: String, changed: String? = nil
    ) async throws {
        let pupil = try await store.reference.requirePupil(upn)
        let schoolID = try await store.reference.requireSchool(school).id
        try await store.sql.insert(into: "procedure_actions")
            .columns(
                "pupil_id", "school_id", "academic_year", "key", "action", "basis", "count", "sessions", "status",
                "due_on", "recorded_by", "recorded_at", "status_changed_at"
            )
            .values(
                pupil.id, schoolID, year, key, action.rawValue, "absence", 26, "", status.rawValue, date, "system",
                date + "T18:00:00.000Z", changed.map { $0 + "T18:00:00.000Z" }
            ).run()
    }

    static func status(_ store: Store, _ key: String) async throws -> (String, String?) {
        let row = try #require(
            try await store.sql.raw(
                "SELECT status, status_note FROM procedure_actions WHERE key = \(bind: key)"
            ).first())
        return (
            try row.decode(column: "status", as: String.self), try row.decode(column: "status_note", as: String?.self)
        )
    }

    /// Issue 12, point 3: one school year at a time.
    @Test(arguments: TestDatabase.available)
    func lastYearsActionsNeitherCountNorWithdrawAndTheirPendingOnesCloseWithTheYear(database: TestDatabase)
        async throws
    {
        try await database.withStore { store in
            try await loadFixture(store)
            // Last year: Letter 3 sent (so medical evidence would be asked after it) and a Letter 1 left pending.
            try await Self.record(
                store, upn: alys, year: 2024, key: "letter_3/2024", action: .letter3, status: .done, on: "2025-03-02",
                changed: "2025-03-03")
            try await Self.record(
                store, upn: alys, year: 2024, key: "letter_1/2024", action: .letter1, status: .pending, on: "2025-06-02"
            )
            // This year: two illness sessions, below every line.
            try await store.registers.importMarks(
                try ImportParser.marks(
                    marksCSV(["\(alys),2025-11-03,AM,I,", "\(alys),2025-11-03,PM,I,"]), codes: store.codes),
                school: school, source: "m.csv", authorisesAt: [school])
            let run = try await store.procedure.runProcedure(
                policy: .wrexham2025, asOf: day("2025-11-05"), dryRun: false)
            #expect(!run.lines.contains { $0.upn == alys && $0.due.action == .medicalEvidenceRequired })
            #expect(!run.lines.contains { $0.upn == alys && $0.due.action == .letter3 })
            let (status, note) = try await Self.status(store, "letter_1/2024")
            #expect(status == "year_ended" && note == ActionNote.yearEnded.stored)
            #expect(run.withdrawn == 0)
            #expect(
                try await store.auditTrail.search(AuditQuery()).contains {
                    $0.action == "procedure.year_ended" && $0.subject == "letter_1/2024"
                })
        }
    }

    /// Issue 12, point 4: only a correction withdraws; a day that is not a school day runs nothing.
    @Test(arguments: TestDatabase.available)
    func onlyACorrectionWithdrawsAndNoSchoolDayRunsNothing(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await loadFixture(store)
            // Recorded when Alys was persistently absent; nobody corrected anything since: it stays.
            try await Self.record(
                store, upn: alys, year: 2025, key: "persistent_absence/2025", action: .persistentAbsence,
                status: .pending, on: "2025-10-01")
            let run = try await store.procedure.runProcedure(
                policy: .wrexham2025, asOf: day("2025-11-05"), dryRun: false)
            #expect(run.withdrawn == 0)
            #expect(try await Self.status(store, "persistent_absence/2025").0 == "pending")
            // The daily run on a weekend and a half-term day: nothing is recorded, converted or withdrawn.
            for date in ["2025-11-08", "2025-10-29"] {
                let quiet = try await store.procedure.runProcedure(
                    policy: .wrexham2025, asOf: day(date), dryRun: false, schoolDaysOnly: true)
                #expect(quiet.lines.isEmpty && quiet.recorded == 0 && quiet.withdrawn == 0, "\(date)")
            }
        }
    }
}

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
            let calendar = try await store.calendar(for: try await store.requireSchool(school).school)
            // Alys: ten unauthorised sessions from 3 November, one of them an N with no reason.
            var lines: [String] = []
            var absent = 0
            for session in calendar.sessions(in: DateRange(day("2025-11-03"), day("2025-11-28"))!) {
                let code = absent < 9 ? "O" : absent == 9 ? "N" : (session.half == .am ? "/" : "\\")
                lines.append("\(alys),\(session.date),\(session.half.rawValue),\(code),")
                absent += 1
            }
            try await store.importMarks(
                try ImportParser.marks(marksCSV(lines), codes: store.codes), school: school, source: "m.csv")
            let asOf = day("2025-11-28")
            let dry = try await store.runProcedure(policy: .wrexham2025, asOf: asOf, dryRun: true)
            #expect(dry.recorded == 0)
            let letter = try #require(dry.lines.first { $0.upn == alys && $0.due.action == .letter1 })
            #expect(letter.due.count == 10)
            #expect(try await count(store, "procedure_actions") == 0)
            let first = try await store.runProcedure(policy: .wrexham2025, asOf: asOf, dryRun: false)
            #expect(first.recorded > 0)
            #expect(first.convertedToO == 1)  // the N of 6 November is more than ten school days old
            let history = try await store.amendments(of: alys)
            #expect(history.last?.oldCode == "N" && history.last?.newCode == "O")
            #expect(history.last?.changedBy == "system" && history.last?.reason == Store.noReasonConversion)
            let second = try await store.runProcedure(policy: .wrexham2025, asOf: asOf, dryRun: false)
            #expect(second.recorded == 0 && second.withdrawn == 0 && second.convertedToO == 0)
            // A correction takes Alys under the Letter 1 line before it was sent: it is withdrawn, not deleted.
            let pupil = try await store.requirePupil(alys)
            let schoolID = try await store.requireSchool(school).id
            try await store.writeMarks(
                [
                    MarkEntry(
                        pupilID: pupil.id, schoolID: schoolID,
                        mark: Mark(upn: alys, session: Session(day("2025-11-03"), .am), code: "/"))
                ],
                by: Actor("office"), reason: "Was on a school trip, marked wrongly")
            let third = try await store.runProcedure(policy: .wrexham2025, asOf: asOf, dryRun: false)
            #expect(third.withdrawn >= 1)
            let status = try await store.sql.raw(
                "SELECT status, status_note FROM procedure_actions WHERE key = 'letter_1/2025'"
            ).first()
            #expect(try status?.decode(column: "status", as: String.self) == "withdrawn")
            let note = try status?.decode(column: "status_note", as: String?.self) ?? ""
            #expect(note.contains("2025-11-03 AM O → / by office: Was on a school trip, marked wrongly"), "\(note)")
            #expect(try await count(store, "procedure_actions") == first.recorded)
            #expect(
                try await store.searchAudit(AuditQuery()).contains {
                    $0.action == "procedure.withdrawn" && $0.upn == alys
                })
        }
    }
}

import AttendanceCore
import AttendanceInterop
import Foundation
import SQLKit
import Testing

@testable import AttendanceStore

/// A SQLite file as the server runs it: reads on their own connections, saves that arrive together committed
/// together. Each save stands or falls alone inside a batch, and what a save wrote is there for the next read.
@Suite struct GroupCommitTests {
    @Test func concurrentSavesShareCommitsButEachIsAllOrNothing() async throws {
        try await withSQLiteFile { stores in
            let store = stores[0]
            #expect(store.groupCommit != nil)
            let days = [5, 6, 7, 8, 9, 12, 13, 14, 15, 16].map { LocalDate(iso: "2026-01-\($0 < 10 ? "0" : "")\($0)")! }
            let office = AuditActor("office@example.org")
            // Forty saves at once: Alys and Cai, each day and half-day, present.
            try await withThrowingTaskGroup(of: MarkWriteResult.self) { group in
                for day in days {
                    for half in SessionHalf.allCases {
                        for upn in [alys, cai] {
                            group.addTask {
                                try await store.registers.writeMarks(
                                    [
                                        SchoolMark(
                                            school: school,
                                            mark: Mark(
                                                upn: upn, session: SchoolSession(day, half),
                                                code: half == .am ? "/" : "\\"))
                                    ],
                                    by: office, reason: nil)
                            }
                        }
                    }
                }
                for try await result in group { #expect(result.inserted == 1) }
            }
            let range = DateRange(days.first!, days.last!)!
            #expect(try await store.registers.marks(of: alys, in: range).count == 20)
            #expect(try await store.registers.marks(of: cai, in: range).count == 20)
            // Together: changes without a reason are refused one by one, while the saves beside them are kept.
            let results = await withTaskGroup(of: Result<MarkWriteResult, any Error>.self) { group in
                for (index, day) in days.enumerated() {
                    group.addTask {
                        do {
                            return .success(
                                try await store.registers.writeMarks(
                                    [
                                        SchoolMark(
                                            school: school,
                                            mark: Mark(upn: alys, session: SchoolSession(day, .am), code: "O"))
                                    ], by: office,
                                    reason: index.isMultiple(of: 2) ? "Sent home ill: recorded late" : nil))
                        } catch { return .failure(error) }
                    }
                }
                var all: [Result<MarkWriteResult, any Error>] = []
                for await result in group { all.append(result) }
                return all
            }
            let refused = results.filter { if case .failure = $0 { true } else { false } }.count
            #expect(refused == 5 && results.count == 10)
            let morning = try await store.registers.marks(of: alys, in: range).filter { $0.mark.session.half == .am }
            #expect(morning.filter { $0.mark.code == "O" }.count == 5)
            #expect(morning.filter { $0.mark.code == "/" }.count == 5)
            #expect(try await store.registers.amendments(of: alys).count == 5)
            // The year strings agree with the rows.
            let (_, summary) = try await store.registers.summary(of: alys, in: range)
            #expect(summary.possible == 20 && summary.unauthorised == 5)
        }
    }

    /// A save refused by the rules is answered as a refusal and the batch goes on; a save that fails partway through
    /// its writes undoes the batch, and then every other save is kept on its own and only that one fails.
    @Test func aSaveThatFailsWhileWritingTakesNoOtherSaveWithIt() async throws {
        try await withSQLiteFile { stores in
            let store = stores[0]
            let commit = try #require(store.groupCommit)
            try await store.sql.raw("CREATE TABLE scratch (n INTEGER NOT NULL)").run()
            struct Broken: Error {}
            let outcomes = try await withThrowingTaskGroup(of: (Int, String).self) { group in
                for n in 0..<30 {
                    group.addTask {
                        do {
                            let value = try await commit.submit { db -> Result<Int, StoreError> in
                                if n % 10 == 3 { return .failure(.notPending) }
                                try await db.raw("INSERT INTO scratch (n) VALUES (\(bind: n))").run()
                                if n % 10 == 7 { throw Broken() }
                                return .success(n)
                            }
                            return (n, "kept \(value)")
                        } catch is StoreError {
                            return (n, "refused")
                        } catch {
                            return (n, "failed")
                        }
                    }
                }
                var all: [Int: String] = [:]
                for try await (n, outcome) in group { all[n] = outcome }
                return all
            }
            for n in 0..<30 {
                #expect(outcomes[n] == (n % 10 == 3 ? "refused" : n % 10 == 7 ? "failed" : "kept \(n)"))
            }
            let kept = try await store.sql.raw("SELECT n FROM scratch ORDER BY n").all().map {
                try $0.decode(column: "n", as: Int.self)
            }
            #expect(kept == (0..<30).filter { $0 % 10 != 3 && $0 % 10 != 7 })
        }
    }

    /// Saves planned together in one batch see each other as if committed one after another: a second save of the
    /// same cell finds the first's mark (a conflict, or an amendment that needs a reason and keeps the first as
    /// the original entry), and a refused save changes nothing for the saves after it.
    @Test func savesPlannedTogetherSeeEachOtherInTurn() async throws {
        try await withSQLiteFile { stores in
            let store = stores[0]
            let schoolID = try await store.reference.requireSchool(school).id
            let ids = try await ReferenceRepository.pupilIDs(for: [alys, cai], on: store.sql)
            let session = SchoolSession(LocalDate(iso: "2026-01-05")!, .am)
            func save(_ upn: UPN, _ code: String, expected: ExpectedMark?, by name: String, reason: String? = nil)
                -> MarkSave
            {
                MarkSave(
                    entries: [
                        MarkEntry(
                            pupilID: ids[upn]!, schoolID: schoolID, mark: Mark(upn: upn, session: session, code: code),
                            expected: expected)
                    ], actor: AuditActor(name), reason: reason, now: Date(), laestabs: [schoolID: school])
            }
            let saves = [
                save(alys, "/", expected: .noMark, by: "tutor@example.org"),
                save(alys, "O", expected: .noMark, by: "office@example.org"),
                save(alys, "I", expected: nil, by: "office@example.org"),
                save(alys, "M", expected: .code("/"), by: "head@example.org", reason: "Appointment letter seen"),
                save(cai, "/", expected: nil, by: "tutor@example.org"),
            ]
            let results = try await store.transaction { db in try await store.registers.writeMarks(batch: saves, on: db)
            }
            #expect(try results[0].get().inserted == 1)
            #expect(try results[1].get().conflicts.map(\.currentBy) == ["tutor@example.org"])
            guard case .failure(.reasonRequired) = results[2] else {
                Issue.record("a change without a reason was not refused: \(results[2])")
                return
            }
            #expect(try results[3].get().amended == 1)
            #expect(try results[4].get().inserted == 1)
            let range = DateRange(session.date, session.date)!
            let marks = try await store.registers.marks(of: alys, in: range)
            #expect(marks.map(\.mark.code) == ["M"] && marks.map(\.recordedBy) == ["head@example.org"])
            let amendments = try await store.registers.amendments(of: alys)
            #expect(amendments.map(\.oldCode) == ["/"] && amendments.map(\.oldRecordedBy) == ["tutor@example.org"])
            #expect(try await store.registers.marks(of: cai, in: range).map(\.mark.code) == ["/"])
            // The year strings agree with the rows.
            let year = try await store.registers.yearMarks(of: alys, year: session.date.academicYear)
            #expect(year[session] == store.codes["M"]!.id)
        }
    }
}

import AttendanceCore
import AttendanceInterop
import Foundation
import Logging
import Testing

@testable import AttendanceStore

/// A SQLite file as the server runs it: reads on their own connections, saves that arrive together committed
/// together. Each save stands or falls alone inside a batch, and what a save wrote is there for the next read.
@Suite struct GroupCommitTests {
    @Test func concurrentSavesShareCommitsButEachIsAllOrNothing() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("group-\(UUID().uuidString).sqlite")
            .path
        defer {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        let store = try Store(location: .sqliteFile(path), logger: logger)
        do {
            try await store.migrate()
            #expect(store.groupCommit != nil)
            try await loadFixture(store)
            let days = [5, 6, 7, 8, 9, 12, 13, 14, 15, 16].map { LocalDate(iso: "2026-01-\($0 < 10 ? "0" : "")\($0)")! }
            let office = AuditActor("office@example.org")
            // Forty saves at once: Alys and Cai, each day and half-day, present.
            try await withThrowingTaskGroup(of: MarkWriteResult.self) { group in
                for day in days {
                    for half in SessionHalf.allCases {
                        for upn in [alys, cai] {
                            group.addTask {
                                try await store.writeMarks(
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
            #expect(try await store.marks(of: alys, in: range).count == 20)
            #expect(try await store.marks(of: cai, in: range).count == 20)
            // Together: changes without a reason are refused one by one, while the saves beside them are kept.
            let results = await withTaskGroup(of: Result<MarkWriteResult, any Error>.self) { group in
                for (index, day) in days.enumerated() {
                    group.addTask {
                        do {
                            return .success(
                                try await store.writeMarks(
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
            let morning = try await store.marks(of: alys, in: range).filter { $0.mark.session.half == .am }
            #expect(morning.filter { $0.mark.code == "O" }.count == 5)
            #expect(morning.filter { $0.mark.code == "/" }.count == 5)
            #expect(try await store.amendments(of: alys).count == 5)
            // The year strings agree with the rows.
            let (_, summary) = try await store.summary(of: alys, in: range)
            #expect(summary.possible == 20 && summary.unauthorised == 5)
        } catch {
            await store.shutdown()
            throw error
        }
        await store.shutdown()
    }

    /// The schools are held in memory: a change in this process is seen at once, one made by another process on
    /// the same file within a second.
    @Test func schoolsHeldInMemoryFollowChangesFromAnyProcess() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cache-\(UUID().uuidString).sqlite")
            .path
        defer {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        let server = try Store(location: .sqliteFile(path), logger: logger)
        let command = try Store(location: .sqliteFile(path), logger: logger)
        do {
            try await server.migrate()
            try await loadFixture(server)
            #expect(try await server.school(school)?.school.name == "Ysgol Prawf")
            let calendar = try await server.calendar(for: try await server.requireSchool(school).school)
            #expect(calendar.isSchoolDay(LocalDate(iso: "2026-01-05")!))
            // The other process renames the school and adds an INSET day.
            try await command.importSchools(
                try ImportParser.schools(schoolCSV.replacingOccurrences(of: "Ysgol Prawf", with: "Ysgol Newydd")))
            try await command.importCalendar(
                try ImportParser.calendar("kind,start,end,name\ninset,2026-01-05,2026-01-05,INSET"),
                scope: .school(school))
            try await Task.sleep(for: .milliseconds(1100))
            #expect(try await server.school(school)?.school.name == "Ysgol Newydd")
            let changed = try await server.calendar(for: try await server.requireSchool(school).school)
            #expect(!changed.isSchoolDay(LocalDate(iso: "2026-01-05")!))
            // In this process, at once.
            try await server.importSchools(try ImportParser.schools(schoolCSV))
            #expect(try await server.school(school)?.school.name == "Ysgol Prawf")
        } catch {
            await server.shutdown()
            await command.shutdown()
            throw error
        }
        await server.shutdown()
        await command.shutdown()
    }
}

import AttendanceCore
import Foundation
import SQLKit
import Synchronization
import Testing

@testable import AttendanceStore

/// A SQLite file's committed pages are copied from the log into the database beside the writer, after saves, one
/// checkpoint at a time, and none once the store is closing.
@Suite struct WALCheckpointerTests {
    /// The database file's own size: pages still only in the write-ahead log are not counted.
    static func fileSize(_ store: Store) throws -> Int {
        guard case .sqliteFile(let path) = store.location else { throw StoreError.corrupt("not a SQLite file") }
        return try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
    }

    /// Two megabytes committed, more than a megabyte of them still only in the log (SQLite's own checkpoint, at 1,000
    /// pages with the migrations' before them, may have copied part).
    static func writeTwoMegabytes(_ store: Store) async throws {
        try await store.sql.raw("CREATE TABLE scratch (data BLOB NOT NULL)").run()
        for _ in 0..<8 { try await store.sql.raw("INSERT INTO scratch VALUES (randomblob(262144))").run() }
    }

    @Test func oneCheckpointAtATimeCopiesTheLogAndNoneAfterClosing() async throws {
        try await withSQLiteFile { stores in
            let store = stores[0]
            try await Self.writeTwoMegabytes(store)
            let before = try Self.fileSize(store)
            let started = Mutex(0)
            let checkpointer = WALCheckpointer {
                started.withLock { $0 += 1 }
                return store.reader
            }
            // Commits close together: the first starts a checkpoint, the others find it running.
            for _ in 0..<5 { checkpointer.committed() }
            await checkpointer.close()
            #expect(started.withLock { $0 } == 1)
            #expect(try Self.fileSize(store) >= before + 1_000_000)
            checkpointer.committed()
            await checkpointer.close()
            #expect(started.withLock { $0 } == 1)
        }
    }

    @Test func aBatchOfSavesIsFollowedByTheStoresOwnCheckpoint() async throws {
        try await withSQLiteFile { stores in
            let store = stores[0]
            let checkpoints = try #require(store.checkpoints)
            try await Self.writeTwoMegabytes(store)
            let before = try Self.fileSize(store)
            let day = try #require(LocalDate(iso: "2026-01-05"))
            _ = try await store.registers.writeMarks(
                [SchoolMark(school: school, mark: Mark(upn: alys, session: SchoolSession(day, .am), code: "/"))],
                by: AuditActor("tutor@example.org"), reason: nil)
            await checkpoints.checkpointer.close()
            #expect(try Self.fileSize(store) >= before + 1_000_000)
            // The save is read back as it was written: a checkpoint only copies what is committed.
            #expect(try await store.registers.marks(of: alys, in: DateRange(day, day)!).map(\.mark.code) == ["/"])
        }
    }
}

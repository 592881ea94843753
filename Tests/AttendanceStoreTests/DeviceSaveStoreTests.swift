import AttendanceCore
import Foundation
import SQLKit
import Testing

@testable import AttendanceStore

/// Saves a device held without a connection and sent later (issue 37): a key is written once, in the transaction
/// that writes the save, and the time the marks were made on the device is kept beside the time received.
@Suite struct DeviceSaveStoreTests {
    let session = SchoolSession(LocalDate(iso: "2026-01-05")!, .am)

    func marks(_ codes: [(UPN, String)]) -> [SchoolMark] {
        codes.map { SchoolMark(school: school, mark: Mark(upn: $0.0, session: session, code: $0.1), expected: nil) }
    }

    @Test(arguments: TestDatabase.available)
    func aSaveSentAgainIsWrittenOnceAndAChangeSinceIsAConflict(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await loadFixture(store)
            let received = Date()
            let made = received.addingTimeInterval(-5400)
            let device = try DeviceSave(key: "6d3c1f0a-5b1e-4c1b", madeAt: made, receivedAt: received)
            let tutor = AuditActor("tutor@example.org")
            let first = try await store.registers.writeMarks(
                marks([(alys, "/"), (cai, "N")]), by: tutor, reason: nil, at: received, device: device)
            #expect(first.inserted == 2 && !first.repeated)
            let recorded = try await store.registers.marks(of: alys, in: DateRange(session.date, session.date)!)
            #expect(recorded.map(\.recordedBy) == [tutor.name])
            #expect(recorded.first?.madeOnDeviceAt.map { abs($0.timeIntervalSince(made)) < 0.01 } == true)
            #expect(recorded.first.map { abs($0.recordedAt.timeIntervalSince(received)) < 0.01 } == true)
            let recorders = try await count(store, "register_recordings")
            // The same save again: nothing written, and said so.
            let again = try await store.registers.writeMarks(
                marks([(alys, "/"), (cai, "N")]), by: tutor, reason: nil, device: device)
            #expect(again.repeated && again.unchanged == 2 && again.inserted == 0 && again.conflicts.isEmpty)
            #expect(try await count(store, "register_recordings") == recorders)
            #expect(try await count(store, "register_saves") == 1)
            // The office learns Cai's reason; the tutor's device sends its save once more (its answer was lost):
            // the office's mark stays and the save is told of it. Without its key the save would have needed a
            // reason to change the office's mark back.
            try await store.registers.writeMarks(
                marks([(cai, "I")]), by: AuditActor("office@example.org"), reason: "Mother rang: ill")
            let late = try await store.registers.writeMarks(
                marks([(alys, "/"), (cai, "N")]), by: tutor, reason: nil, device: device)
            #expect(late.repeated && late.unchanged == 1)
            #expect(late.conflicts.map(\.current) == ["I"] && late.conflicts.map(\.currentBy) == ["office@example.org"])
            let cais = try await store.registers.marks(of: cai, in: DateRange(session.date, session.date)!)
            #expect(cais.map(\.mark.code) == ["I"])
            #expect(try await count(store, "mark_amendments") == 1)
            // The key is the person's: another person's save with the same key is another save.
            let other = try await store.registers.writeMarks(
                marks([(alys, "/")]), by: AuditActor("head@example.org"), reason: nil, device: device)
            #expect(!other.repeated && other.unchanged == 1)
            #expect(try await count(store, "register_saves") == 2)
        }
    }

    /// Two sendings of one save at once (a device that retried while its first was still on the way): one writes
    /// it, the other finds it written; neither fails.
    @Test(arguments: TestDatabase.available)
    func twoSendingsAtOnceWriteTheSaveOnce(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await loadFixture(store)
            let device = try DeviceSave(key: "a1b2c3d4-twice", madeAt: Date(), receivedAt: Date())
            let results = try await withThrowingTaskGroup(of: MarkWriteResult.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        try await store.registers.writeMarks(
                            marks([(alys, "/"), (cai, "/")]), by: AuditActor("tutor@example.org"), reason: nil,
                            device: device)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.filter { !$0.repeated }.count == 1)
            #expect(results.filter { !$0.repeated }.map(\.inserted) == [2])
            #expect(try await count(store, "register_saves") == 1)
            #expect(try await count(store, "register_recordings") == 1)
        }
    }

    /// Saves planned together in one batch (SQLite's group commit): a key is taken once in the batch, and a save
    /// the rules refuse keeps no key, so that it can be sent again.
    @Test func aBatchTakesEachKeyOnceAndKeepsNoKeyOfARefusedSave() async throws {
        try await withSQLiteFile { stores in
            let store = stores[0]
            try await store.registers.writeMarks(marks([(cai, "/")]), by: AuditActor("tutor@example.org"), reason: nil)
            let schoolID = try await store.reference.requireSchool(school).id
            let ids = try await ReferenceRepository.pupilIDs(for: [alys, cai], on: store.sql)
            let now = Date()
            func save(_ upn: UPN, _ code: String, key: String, reason: String? = nil) throws -> MarkSave {
                MarkSave(
                    entries: [
                        MarkEntry(
                            pupilID: ids[upn]!, schoolID: schoolID, mark: Mark(upn: upn, session: session, code: code))
                    ], actor: AuditActor("tutor@example.org"), reason: reason, now: now, laestabs: [schoolID: school],
                    device: try DeviceSave(key: key, madeAt: now.addingTimeInterval(-60), receivedAt: now))
            }
            let saves = [
                try save(alys, "/", key: "batch-key-one"), try save(alys, "/", key: "batch-key-one"),
                try save(cai, "N", key: "batch-key-two"),
            ]
            let results = try await store.transaction { db in try await store.registers.writeMarks(batch: saves, on: db)
            }
            #expect(try results[0].get().inserted == 1 && !results[0].get().repeated)
            #expect(try results[1].get().repeated && results[1].get().unchanged == 1)
            guard case .failure(.reasonRequired) = results[2] else {
                Issue.record("a change without a reason was not refused: \(results[2])")
                return
            }
            let keys = try await store.sql.raw("SELECT save_key FROM register_saves").all().map {
                try $0.decode(column: "save_key", as: String.self)
            }
            #expect(keys == ["batch-key-one"])
            let made = try await store.sql.raw("SELECT made_at FROM register_recordings WHERE made_at IS NOT NULL")
                .all().count
            #expect(made == 1)
        }
    }
}

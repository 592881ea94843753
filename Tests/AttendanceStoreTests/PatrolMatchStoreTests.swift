import AttendanceCore
import Foundation
import SQLKit
import Testing

@testable import AttendanceStore

/// Matching a patrol entry by hand on both databases: the entry stays as logged, the match is kept beside it, and
/// every reading of the pupil's entries (the timeline, the police-contact count) has it.
extension StoreTests {
    @Test(arguments: TestDatabase.available)
    func aPatrolEntryIsMatchedByHandOnceAndKeptBesideTheEntry(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await loadFixture(store)
            let patrol = AuditActor("patrol@example.org"), office = AuditActor("office@example.org")
            let seen = day("2026-01-07")
            let entry = try await store.esw.logPatrolEntry(
                PatrolSighting(
                    seenOn: seen, seenAt: "10:00", place: "Park", nameGiven: "Ally Jones", schoolGiven: "Ysgol Prawf",
                    school: school, reasonGiven: "Dentist", accompanied: true, takenTo: "Home"), by: patrol)
            #expect(entry.upn == nil)
            #expect(try await store.esw.patrolSuggestions(entry).map(\.upn) == [alys])
            #expect(try await store.esw.unmatchedPatrolEntries(school: school, since: seen).map(\.id) == [entry.id])
            // Bryn left in November: not on the roll that day.
            await #expect(throws: StoreError.patrolMatch(.notOnRollThatDay)) {
                _ = try await store.esw.matchPatrolEntry(entry.id, to: bryn, school: school, by: office)
            }
            let matched = try await store.esw.matchPatrolEntry(entry.id, to: alys, school: school, by: office)
            #expect(matched.upn == alys && matched.sighting.nameGiven == "Ally Jones")
            await #expect(throws: StoreError.patrolMatch(.alreadyMatched)) {
                _ = try await store.esw.matchPatrolEntry(entry.id, to: alys, school: school, by: office)
            }
            #expect(try await store.esw.patrolEntries(of: alys).map(\.id) == [entry.id])
            #expect(try await store.esw.unmatchedPatrolEntries(school: school, since: seen).isEmpty)
            // The entry as logged is unchanged, and the match cannot be undone.
            let row = try #require(
                try await store.sql.raw("SELECT pupil_id FROM patrol_entries WHERE id = \(bind: entry.id)").first())
            #expect(try row.decode(column: "pupil_id", as: Int?.self) == nil)
            await #expect(throws: (any Error).self) {
                try await store.sql.raw("DELETE FROM patrol_matches").run()
            }
        }
    }
}

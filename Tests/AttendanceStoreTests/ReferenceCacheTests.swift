import AttendanceCore
import AttendanceInterop
import Foundation
import Testing

@testable import AttendanceStore

/// Schools, calendars and rolls are held in memory. A change made through the same store is seen at once; one
/// made by another process on the same file (the command line importing while the server runs) within a second.
@Suite struct ReferenceCacheTests {
    /// The schools are held in memory: a change in this process is seen at once, one made by another process on
    /// the same file within a second.
    @Test func schoolsHeldInMemoryFollowChangesFromAnyProcess() async throws {
        try await withSQLiteFile(stores: 2) { stores in
            let (server, command) = (stores[0], stores[1])
            #expect(try await server.reference.school(school)?.school.name == "Ysgol Prawf")
            let calendar = try await server.reference.calendar(
                for: try await server.reference.requireSchool(school).school)
            #expect(calendar.isSchoolDay(LocalDate(iso: "2026-01-05")!))
            // The other process renames the school and adds an INSET day.
            try await command.reference.importSchools(
                try ImportParser.schools(schoolCSV.replacingOccurrences(of: "Ysgol Prawf", with: "Ysgol Newydd")))
            try await command.reference.importCalendar(
                try ImportParser.calendar("kind,start,end,name\ninset,2026-01-05,2026-01-05,INSET"),
                scope: .school(school))
            try await Task.sleep(for: .milliseconds(1100))
            #expect(try await server.reference.school(school)?.school.name == "Ysgol Newydd")
            let changed = try await server.reference.calendar(
                for: try await server.reference.requireSchool(school).school)
            #expect(!changed.isSchoolDay(LocalDate(iso: "2026-01-05")!))
            // In this process, at once.
            try await server.reference.importSchools(try ImportParser.schools(schoolCSV))
            #expect(try await server.reference.school(school)?.school.name == "Ysgol Prawf")
        }
    }

    @Test func aRollChangedHereIsSeenAtOnceAndOneChangedElsewhereWithinASecond() async throws {
        try await withSQLiteFile(stores: 2) { stores in
            let (server, command) = (stores[0], stores[1])
            let today = day("2025-11-20")
            func names() async throws -> [String] {
                try await server.reference.onRoll(school, on: today).map(\.legalForename).sorted()
            }
            #expect(try await names() == ["Alys", "Cai"])
            // Another process adds a pupil and renames one.
            let dafydd = UPN.make(la: 665, estab: 4001, year: 25, serial: 4)
            try await command.reference.importPupils(
                try ImportParser.pupils(
                    """
                    upn,surname,forename,dob,sex,year_group,registration_group,fsm,lac,on_roll_from,on_roll_to
                    \(alys),Jones,Alys Mair,2014-03-02,F,7,7A,N,N,2025-09-01,
                    \(dafydd),Huws,Dafydd,2014-05-11,M,7,7B,N,N,2025-11-17,
                    """), school: school)
            try await Task.sleep(for: .milliseconds(1100))
            #expect(try await names() == ["Alys Mair", "Cai", "Dafydd"])
            // The server itself takes Dafydd off the roll: gone from the next read, with no wait.
            try await server.roll.removeFromRoll(
                dafydd, school: school, on: day("2025-11-19"), ground: .homeEducation, newSchool: nil,
                by: AuditActor("office"))
            #expect(try await names() == ["Alys Mair", "Cai"])
        }
    }

    /// A group's register read keeps its pupils' ids, so the save that follows names them by UPN without asking the
    /// database again; a pupil changed elsewhere is read again once the version moves.
    @Test func aGroupsRegisterKeepsItsPupilsIdsForTheSave() async throws {
        try await withSQLiteFile(stores: 2) { stores in
            let (server, command) = (stores[0], stores[1])
            let session = SchoolSession(day("2025-11-20"), .am)
            let lines = try await server.registers.registerLines(school: school, group: "7A", session: session)
            #expect(lines.map(\.pupil.upn).contains(alys))
            let version = try #require(server.referenceCache.held?.version)
            #expect(
                server.referenceCache.pupilIDs([alys], version: version)[alys]
                    == (try await server.reference.requirePupil(alys)).id)
            let result = try await server.registers.writeMarks(
                [SchoolMark(school: school, mark: Mark(upn: alys, session: session, code: "/"))],
                by: AuditActor("tutor"), reason: nil)
            #expect(result.inserted == 1)
            #expect(
                try await server.registers.registerLines(school: school, group: "7A", session: session)
                    .first { $0.pupil.upn == alys }?.mark?.mark.code == "/")
            // Another process changes a pupil: the held ids go with the version.
            try await command.reference.importPupils(
                try ImportParser.pupils(
                    """
                    upn,surname,forename,dob,sex,year_group,registration_group,fsm,lac,on_roll_from,on_roll_to
                    \(alys),Jones,Alys Mair,2014-03-02,F,7,7A,N,N,2025-09-01,
                    """), school: school)
            try await Task.sleep(for: .milliseconds(1100))
            _ = try await server.reference.schools()
            let moved = try #require(server.referenceCache.held?.version)
            #expect(moved != version)
            #expect(server.referenceCache.pupilIDs([alys], version: moved).isEmpty)
        }
    }

    /// A group's roll is read once for its registers, whatever the day, and follows a change here at once and one
    /// made elsewhere within a second.
    @Test func aGroupsRollIsReadOnceAndFollowsChanges() async throws {
        try await withSQLiteFile(stores: 2) { stores in
            let (server, command) = (stores[0], stores[1])
            func names(_ group: String, _ date: String) async throws -> [String] {
                try await server.registers.registerLines(
                    school: school, group: group, session: SchoolSession(day(date), .am)
                ).map(\.pupil.legalForename)
            }
            #expect(try await names("7A", "2025-11-20") == ["Alys"])
            let key = ReferenceCache.GroupKey(
                schoolID: try await server.reference.requireSchool(school).id, group: "7A")
            let version = try #require(server.referenceCache.held?.version)
            // Bryn too, who left on 14 November: one roll serves every day's register.
            #expect(server.referenceCache.groupRoll(key, version: version)?.count == 2)
            #expect(try await names("7A", "2025-11-10") == ["Bryn", "Alys"])
            // Another process moves Cai into 7A.
            try await command.reference.importPupils(
                try ImportParser.pupils(
                    """
                    upn,surname,forename,dob,sex,year_group,registration_group,fsm,lac,on_roll_from,on_roll_to
                    \(cai),Ŵyn,Cai,2014-01-09,M,7,7A,N,Y,2025-10-06,
                    """), school: school)
            try await Task.sleep(for: .milliseconds(1100))
            #expect(try await names("7A", "2025-11-20") == ["Alys", "Cai"])
            #expect(try await names("7B", "2025-11-20").isEmpty)
            // This process moves Alys into 7B: seen at once.
            try await server.reference.importPupils(
                try ImportParser.pupils(
                    """
                    upn,surname,forename,dob,sex,year_group,registration_group,fsm,lac,on_roll_from,on_roll_to
                    \(alys),Jones,Alys,2014-03-02,F,7,7B,N,N,2025-09-01,
                    """), school: school)
            #expect(try await names("7A", "2025-11-20") == ["Cai"])
            #expect(try await names("7B", "2025-11-20") == ["Alys"])
        }
    }

    /// Groups' rolls held are bounded: a server for all of Wales lets some go rather than hold every pupil.
    @Test func theGroupsHeldAreBounded() async throws {
        try await withSQLiteFile { stores in
            let store = stores[0]
            let pupil = try await store.reference.requirePupil(alys)
            let limit = ReferenceCache.heldGroupEntries
            func roll(_ count: Int) -> [ReferenceCache.RollEntry] {
                Array(
                    repeating: ReferenceCache.RollEntry(
                        id: pupil.id, pupil: pupil.pupil, from: day("2025-09-01"), to: nil),
                    count: count)
            }
            let cache = ReferenceCache()
            let (first, second, third) = (
                ReferenceCache.GroupKey(schoolID: 1, group: "7A"), ReferenceCache.GroupKey(schoolID: 1, group: "7B"),
                ReferenceCache.GroupKey(schoolID: 2, group: "7A")
            )
            cache.keep(groupRoll: roll(limit / 2), for: first, version: 3)
            cache.keep(groupRoll: roll(limit / 2), for: second, version: 3)
            #expect(cache.groupRoll(first, version: 3)?.count == limit / 2)
            #expect(cache.groupRoll(second, version: 3)?.count == limit / 2)
            // A third group: one held before it is let go, and the two held fit the bound.
            cache.keep(groupRoll: roll(10), for: third, version: 3)
            #expect(cache.groupRoll(third, version: 3)?.count == 10)
            #expect((cache.groupRoll(first, version: 3) == nil) != (cache.groupRoll(second, version: 3) == nil))
            // A roll larger than the bound is not held; an older version's is not kept, a newer one's replaces all.
            cache.keep(groupRoll: roll(limit + 1), for: first, version: 3)
            #expect(cache.groupRoll(third, version: 3)?.count == 10)
            cache.keep(groupRoll: roll(5), for: first, version: 2)
            #expect(cache.groupRoll(first, version: 2) == nil)
            cache.keep(groupRoll: roll(5), for: first, version: 4)
            #expect(cache.groupRoll(first, version: 4)?.count == 5)
            #expect(cache.groupRoll(third, version: 3) == nil)
        }
    }
}

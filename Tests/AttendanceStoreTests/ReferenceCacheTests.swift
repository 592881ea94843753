import AttendanceCore
import AttendanceInterop
import Foundation
import Logging
import Testing

@testable import AttendanceStore

/// Schools, calendars and rolls are held in memory. A change made through the same store is seen at once; one
/// made by another process on the same file (the command line importing while the server runs) within a second.
@Suite struct ReferenceCacheTests {
    @Test func aRollChangedHereIsSeenAtOnceAndOneChangedElsewhereWithinASecond() async throws {
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
            let today = day("2025-11-20")
            func names() async throws -> [String] {
                try await server.onRoll(school, on: today).map(\.legalForename).sorted()
            }
            #expect(try await names() == ["Alys", "Cai"])
            // Another process adds a pupil and renames one.
            let dafydd = UPN.make(la: 665, estab: 4001, year: 25, serial: 4)
            try await command.importPupils(
                try ImportParser.pupils(
                    """
                    upn,surname,forename,dob,sex,year_group,registration_group,fsm,lac,on_roll_from,on_roll_to
                    \(alys),Jones,Alys Mair,2014-03-02,F,7,7A,N,N,2025-09-01,
                    \(dafydd),Huws,Dafydd,2014-05-11,M,7,7B,N,N,2025-11-17,
                    """), school: school)
            try await Task.sleep(for: .milliseconds(1100))
            #expect(try await names() == ["Alys Mair", "Cai", "Dafydd"])
            // The server itself takes Dafydd off the roll: gone from the next read, with no wait.
            try await server.removeFromRoll(
                dafydd, school: school, on: day("2025-11-19"), ground: .homeEducation, newSchool: nil,
                by: AuditActor("office"))
            #expect(try await names() == ["Alys Mair", "Cai"])
            // And a school renamed elsewhere is seen within the second too.
            try await command.importSchools(
                try ImportParser.schools(schoolCSV.replacingOccurrences(of: "Ysgol Prawf", with: "Ysgol Newydd")))
            try await Task.sleep(for: .milliseconds(1100))
            #expect(try await server.requireSchool(school).school.name == "Ysgol Newydd")
        } catch {
            await server.shutdown()
            await command.shutdown()
            throw error
        }
        await server.shutdown()
        await command.shutdown()
    }
}

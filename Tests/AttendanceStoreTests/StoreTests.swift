import AttendanceCore
import AttendanceInterop
import Foundation
import SQLKit
import Testing

@testable import AttendanceStore

let school = LAESTAB(la: 665, estab: 4001)

@Suite struct StoreTests {
    @Test(arguments: TestDatabase.available)
    func migrationsAreNamedAndRunTwiceSafely(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await store.migrate()
            let names = try await store.appliedMigrations()
            #expect(names.first == "M0001_CreateLocalAuthorities")
            #expect(names.count == 54)
            #expect(names.last == "M0054_CreateLessonCoverAndChecks")
            #expect(Set(names).count == names.count)
        }
    }

    @Test(arguments: TestDatabase.available)
    func importsAreIdempotentAndUpdate(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await loadFixture(store)
            try await loadFixture(store)
            #expect(try await store.reference.schools().map(\.school.laestab.description) == ["6652001", "6654001"])
            let stored = try #require(try await store.reference.pupil(cai))
            #expect(stored.pupil.legalSurname == "Ŵyn")
            #expect(stored.pupil.lookedAfter)
            #expect(stored.enrolments == [Enrolment(school: school, onRollFrom: day("2025-10-06"))])
            let calendar = try await store.reference.calendar(
                for: try await store.reference.requireSchool(school).school)
            #expect(calendar.entries.count == 4)
            #expect(!calendar.isSchoolDay(day("2025-09-01")))  // the school's own INSET day
            let other = try await store.reference.calendar(
                for: try await store.reference.requireSchool(LAESTAB(la: 665, estab: 2001)).school)
            #expect(other.isSchoolDay(day("2025-09-01")))  // not the other school's
            // A changed line updates the pupil rather than adding one.
            let renamed = pupilsCSV.replacingOccurrences(of: "Jones,Alys", with: "Jones-Price,Alys")
            try await store.reference.importPupils(try ImportParser.pupils(renamed), school: school)
            #expect(try await store.reference.pupil(alys)?.pupil.legalSurname == "Jones-Price")
            let count = try await store.sql.raw("SELECT COUNT(*) AS n FROM pupils").first(
                decodingColumn: "n", as: Int.self)
            #expect(count == 3)
        }
    }

    @Test(arguments: TestDatabase.available)
    func contactsComeInPriorityOrder(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await loadFixture(store)
            let csv = """
                upn,name,relationship,priority,parental_responsibility,mobile,email,language
                \(alys),Huw Jones,Father,2,Y,07700 900222,,en
                \(alys),Siân Jones,Mother,1,Y,07700 900111,sian@example.org,cy
                \(bryn),Carer,Carer,1,N,,,
                """
            try await store.contacts.importContacts(try ImportParser.contacts(csv))
            try await store.contacts.importContacts(try ImportParser.contacts(csv))
            let contacts = try await store.contacts.contacts(of: alys)
            #expect(contacts.map(\.name) == ["Siân Jones", "Huw Jones"])
            #expect(contacts.map(\.language) == [.cy, .en])
            #expect(try await store.contacts.contacts(of: bryn).first?.language == .both)
            let unknown = UPN.make(la: 665, estab: 4001, year: 25, serial: 99)
            await #expect(throws: ImportProblems.self) {
                try await store.contacts.importContacts(
                    try ImportParser.contacts("upn,name,relationship,priority\n\(unknown),X,Mother,1\n"))
            }
        }
    }
}

extension StoreTests {
    /// A job keeps its progress for its page, its result or why it failed; one a stopped server left running is
    /// marked interrupted, and another school cannot see it.
    @Test(arguments: TestDatabase.available)
    func aJobKeepsItsProgressAndEnds(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await loadFixture(store)
            let laestab = school
            let id = try await store.jobs.startJob("due_letters", school: laestab, by: .system)
            try await store.jobs.recordProgress(job: id, done: 3, total: 10)
            let running = try #require(try await store.jobs.job(id, school: laestab))
            #expect(running.status == .running && running.done == 3 && running.total == 10)
            #expect(try await store.jobs.job(id, school: LAESTAB(la: 665, estab: 9999)) == nil)
            try await store.jobs.finishJob(id, result: "b 0 0 0", problem: nil)
            #expect(try await store.jobs.job(id, school: laestab)?.status == .done)
            // Another server's running job, alive a minute ago, is left alone when a server starts; one silent for
            // longer than the limit is taken as stopped, when read and when a server starts.
            let now = Date()
            let elsewhere = try await store.jobs.startJob("due_letters", school: laestab, by: .system, at: now - 60)
            let cut = try await store.jobs.startJob("due_letters", school: laestab, by: .system, at: now - 600)
            #expect(try await store.jobs.job(cut, school: laestab, at: now)?.status == .interrupted)
            try await store.jobs.interruptStoppedJobs(at: now)
            #expect(try await store.jobs.job(elsewhere, school: laestab, at: now)?.status == .running)
            #expect(try await store.jobs.job(cut, school: laestab)?.status == .interrupted)
            try await store.jobs.recordAlive(job: elsewhere, at: now + 100)
            #expect(try await store.jobs.job(elsewhere, school: laestab, at: now + 200)?.status == .running)
            // Progress after the end changes nothing.
            try await store.jobs.recordProgress(job: cut, done: 9, total: 10)
            #expect(try await store.jobs.job(cut, school: laestab)?.done == 0)
        }
    }
}

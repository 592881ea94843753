import AttendanceCore
import AttendanceInterop
import Foundation
import SQLKit
import Testing

@testable import AttendanceStore

@Suite struct AccountStoreTests {
    @Test(arguments: TestDatabase.available)
    func usersKeepTheirRolesAndWaitAfterFailures(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await loadFixture(store)
            let grants = [
                RoleGrant(role: .headOfYear, school: school, yearGroups: ["7", "8"]),
                RoleGrant(role: .parent, child: alys),
            ]
            try await store.identity.createUser(
                email: "Mair@Example.org", displayName: "Mair", passwordHash: "hash", mustChangePassword: true,
                grants: grants, by: AuditActor("test"))
            let user = try #require(try await store.identity.user(email: "mair@example.org"))
            #expect(user.grants == grants)
            #expect(user.mustChangePassword)
            await #expect(throws: StoreError.self) {
                try await store.identity.createUser(
                    email: "mair@example.org", displayName: "x", passwordHash: "h", mustChangePassword: false,
                    grants: [],
                    by: AuditActor("test"))
            }
            await #expect(throws: StoreError.self) {
                try await store.identity.createUser(
                    email: "t@example.org", displayName: "x", passwordHash: "h", mustChangePassword: false,
                    grants: [RoleGrant(role: .headTeacher, school: LAESTAB(la: 665, estab: 9999))],
                    by: AuditActor("test"))
            }
            let now = Date(timeIntervalSince1970: 1_800_000_000)
            for _ in 0..<4 {
                try await store.identity.recordFailedSignIn(email: "mair@example.org", actor: AuditActor("x"), at: now)
            }
            #expect(try await store.identity.user(email: "mair@example.org")!.lockedUntil == nil)
            try await store.identity.recordFailedSignIn(email: "mair@example.org", actor: AuditActor("x"), at: now)
            #expect(try await store.identity.user(email: "mair@example.org")!.lockedUntil == now.addingTimeInterval(60))
            // Tries while waiting neither count nor lengthen the wait; the first failure after it doubles it.
            for _ in 0..<3 {
                try await store.identity.recordFailedSignIn(email: "mair@example.org", actor: AuditActor("x"), at: now)
            }
            #expect(try await store.identity.user(email: "mair@example.org")!.lockedUntil == now.addingTimeInterval(60))
            #expect(try await store.identity.user(email: "mair@example.org")!.failedAttempts == 5)
            let later = now.addingTimeInterval(61)
            try await store.identity.recordFailedSignIn(email: "mair@example.org", actor: AuditActor("x"), at: later)
            #expect(
                try await store.identity.user(email: "mair@example.org")!.lockedUntil == later.addingTimeInterval(120))
            try await store.identity.setPassword(
                userID: user.id, passwordHash: "new", mustChange: false, by: AuditActor("mair"))
            let after = try await store.identity.user(id: user.id)!
            #expect(after.failedAttempts == 0 && after.lockedUntil == nil && !after.mustChangePassword)
        }
    }

    @Test(arguments: TestDatabase.available)
    func sessionsExpireAndTokensRevoke(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await loadFixture(store)
            let id = try await store.identity.createUser(
                email: "lead@example.org", displayName: "Lead", passwordHash: "h", mustChangePassword: false,
                grants: [RoleGrant(role: .educationLead)], by: AuditActor("test"))
            let now = Date()
            try await store.identity.saveSession(
                idHash: "abc", data: "{}", userID: nil, expires: now.addingTimeInterval(60))
            try await store.identity.saveSession(
                idHash: "abc", data: #"{"a":"b"}"#, userID: nil, expires: now.addingTimeInterval(60))
            #expect(try await store.identity.session(idHash: "abc") == #"{"a":"b"}"#)
            #expect(try await store.identity.session(idHash: "abc", now: now.addingTimeInterval(61)) == nil)
            try await store.identity.deleteSession(idHash: "abc")
            #expect(try await store.identity.session(idHash: "abc") == nil)
            try await store.identity.createToken(
                userID: id, name: "sync", tokenHash: "t1", by: AuditActor("lead@example.org"))
            #expect(try await store.identity.user(tokenHash: "t1")?.id == id)
            #expect(try await store.identity.tokens(userID: id).first?.lastUsedAt != nil)
            let token = try await store.identity.tokens(userID: id)[0]
            await #expect(throws: StoreError.self) {
                try await store.identity.revokeToken(id: token.id, userID: id + 1, by: AuditActor("someone"))
            }
            try await store.identity.revokeToken(id: token.id, userID: id, by: AuditActor("lead@example.org"))
            #expect(try await store.identity.user(tokenHash: "t1") == nil)
            // A change of password ends every other session and every token of the user, and nobody else's.
            let later = now.addingTimeInterval(3600)
            for hash in ["s1", "s2", "s3"] {
                try await store.identity.saveSession(idHash: hash, data: "{}", userID: id, expires: later)
            }
            try await store.identity.saveSession(idHash: "anon", data: "{}", userID: nil, expires: later)
            try await store.identity.createToken(
                userID: id, name: "a", tokenHash: "t2", by: AuditActor("lead@example.org"))
            try await store.identity.setPassword(
                userID: id, passwordHash: "new", mustChange: false, keepingSession: "s2",
                by: AuditActor("lead@example.org"))
            #expect(try await store.identity.sessionCount(userID: id) == 1)
            #expect(try await store.identity.session(idHash: "s2") != nil)
            #expect(try await store.identity.session(idHash: "anon") != nil)
            #expect(try await store.identity.user(tokenHash: "t2") == nil)
            // Deactivating ends the rest; a reset restores the account.
            try await store.identity.createToken(
                userID: id, name: "b", tokenHash: "t3", by: AuditActor("lead@example.org"))
            try await store.identity.deactivateUser(userID: id, by: AuditActor("admin"))
            #expect(try await store.identity.sessionCount(userID: id) == 0)
            #expect(try await store.identity.user(tokenHash: "t3") == nil)
            #expect(try await store.identity.user(id: id)?.isActive == false)
            try await store.identity.setPassword(
                userID: id, passwordHash: "temp", mustChange: true, by: AuditActor("admin"))
            #expect(try await store.identity.user(id: id)?.isActive == true)
            let actions = try await store.auditTrail.search(AuditQuery()).map(\.action)
            #expect(actions.contains("user.deactivated") && actions.contains("user.reactivated"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func theAuditTrailIsAppendOnlyAndRecordsCorrections(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await loadFixture(store)
            let pupil = try await store.reference.requirePupil(alys)
            let schoolID = try await store.reference.requireSchool(school).id
            let session = SchoolSession(day("2025-10-06"), .am)
            func entry(_ code: String) -> MarkEntry {
                MarkEntry(pupilID: pupil.id, schoolID: schoolID, mark: Mark(upn: alys, session: session, code: code))
            }
            try await store.registers.writeMarks(
                [entry("N")], by: AuditActor("tutor@example.org", ip: "10.0.0.5"), reason: nil)
            try await store.registers.writeMarks(
                [entry("I")], by: AuditActor("office@example.org", ip: "10.0.0.6"), reason: "Parent phoned")
            let events = try await store.auditTrail.search(AuditQuery(upn: alys))
            #expect(events.map(\.action) == ["mark.amended", "enrolment.created", "pupil.created"])
            #expect(events[0].reason == "Parent phoned")
            #expect(events[0].ip == "10.0.0.6")
            #expect(events[0].before == #"{"code":"N"}"#)
            #expect(events[0].after == #"{"code":"I"}"#)
            #expect(events[0].school == school)
            let recorded = try await store.auditTrail.search(AuditQuery(schools: [school])).filter {
                $0.action == "marks.recorded"
            }
            #expect(recorded.count == 1 && recorded[0].after == #"{"count":"1"}"#)
            #expect(try await store.auditTrail.search(AuditQuery(schools: [])).isEmpty)
            #expect(try await store.auditTrail.search(AuditQuery(actor: "OFFICE@example.org")).count == 1)
            for statement in [
                "UPDATE audit_events SET actor = 'x'", "DELETE FROM audit_events",
                "UPDATE mark_amendments SET reason = 'x'", "DELETE FROM mark_amendments",
            ] {
                await #expect(throws: (any Error).self, "\(statement)") {
                    try await store.sql.raw(SQLQueryString(statement)).run()
                }
            }
            #expect(try await store.registers.amendments(of: alys).count == 1)
        }
    }
}

@Suite struct ImportAuditTests {
    @Test(arguments: TestDatabase.available)
    func importsRecordWhatTheyCreateAndChangeAndNothingElse(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await loadFixture(store)
            func actions(_ upn: UPN) async throws -> [String] {
                try await store.auditTrail.search(AuditQuery(upn: upn)).map(\.action).reversed()
            }
            #expect(try await actions(alys) == ["pupil.created", "enrolment.created"])
            // The same file again changes nothing and records nothing.
            try await store.reference.importPupils(
                try ImportParser.pupils(pupilsCSV), school: school, source: "again.csv")
            #expect(try await actions(alys) == ["pupil.created", "enrolment.created"])
            // A changed name and a leaving date are recorded with before and after.
            // (Ending an enrolment open today needs a ground, as a deletion by hand does.)
            let changed = pupilsCSV.split(separator: "\n").enumerated().map { index, line in
                index == 0 ? line + ",leaving_reason" : line + ","
            }.joined(separator: "\n").replacingOccurrences(
                of: "Jones,Alys,2014-03-02,F,7,7A,N,N,2025-09-01,,",
                with: "Jones,Alys,2014-03-02,F,7,7B,N,N,2025-09-01,2026-02-13,died")
            try await store.reference.importPupils(
                try ImportParser.pupils(changed), school: school, by: AuditActor("office"), source: "moves.csv")
            let events = try await store.auditTrail.search(AuditQuery(upn: alys))
            #expect(events.map(\.action).prefix(2).sorted() == ["enrolment.updated", "pupil.updated"])
            let pupil = events.first { $0.action == "pupil.updated" }!
            #expect(pupil.before == #"{"registration_group":"7A"}"#)
            #expect(pupil.after == #"{"registration_group":"7B"}"#)
            #expect(pupil.actor == "office" && pupil.subject == "moves.csv")
            let enrolment = events.first { $0.action == "enrolment.updated" }!
            #expect(
                enrolment.before == "{}"
                    && enrolment.after == #"{"leaving_reason":"died","on_roll_to":"2026-02-13"}"#)
            // Contacts likewise.
            let csv = "upn,name,relationship,priority,mobile\n\(alys),Siân Jones,Mother,1,07700 900111\n"
            try await store.contacts.importContacts(try ImportParser.contacts(csv))
            try await store.contacts.importContacts(try ImportParser.contacts(csv))
            try await store.contacts.importContacts(
                try ImportParser.contacts(csv.replacingOccurrences(of: "900111", with: "900999")))
            let contactEvents = try await store.auditTrail.search(AuditQuery(upn: alys)).filter {
                $0.action.hasPrefix("contact.")
            }
            #expect(contactEvents.map(\.action) == ["contact.updated", "contact.created"])
            #expect(contactEvents[0].before == #"{"mobile":"07700 900111"}"#)
            #expect(contactEvents[0].school == school)
        }
    }
}

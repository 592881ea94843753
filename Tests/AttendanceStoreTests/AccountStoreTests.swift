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
            try await store.createUser(
                email: "Mair@Example.org", displayName: "Mair", passwordHash: "hash", mustChangePassword: true,
                grants: grants, by: Actor("test"))
            let user = try #require(try await store.user(email: "mair@example.org"))
            #expect(user.grants == grants)
            #expect(user.mustChangePassword)
            await #expect(throws: StoreError.self) {
                try await store.createUser(
                    email: "mair@example.org", displayName: "x", passwordHash: "h", mustChangePassword: false,
                    grants: [],
                    by: Actor("test"))
            }
            await #expect(throws: StoreError.self) {
                try await store.createUser(
                    email: "t@example.org", displayName: "x", passwordHash: "h", mustChangePassword: false,
                    grants: [RoleGrant(role: .headTeacher, school: LAESTAB(la: 665, estab: 9999))], by: Actor("test"))
            }
            let now = Date(timeIntervalSince1970: 1_800_000_000)
            for _ in 0..<4 { try await store.recordFailedSignIn(email: "mair@example.org", actor: Actor("x"), at: now) }
            #expect(try await store.user(email: "mair@example.org")!.lockedUntil == nil)
            try await store.recordFailedSignIn(email: "mair@example.org", actor: Actor("x"), at: now)
            #expect(try await store.user(email: "mair@example.org")!.lockedUntil == now.addingTimeInterval(60))
            try await store.recordFailedSignIn(email: "mair@example.org", actor: Actor("x"), at: now)
            #expect(try await store.user(email: "mair@example.org")!.lockedUntil == now.addingTimeInterval(120))
            try await store.setPassword(userID: user.id, passwordHash: "new", mustChange: false, by: Actor("mair"))
            let after = try await store.user(id: user.id)!
            #expect(after.failedAttempts == 0 && after.lockedUntil == nil && !after.mustChangePassword)
        }
    }

    @Test(arguments: TestDatabase.available)
    func sessionsExpireAndTokensRevoke(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await loadFixture(store)
            let id = try await store.createUser(
                email: "lead@example.org", displayName: "Lead", passwordHash: "h", mustChangePassword: false,
                grants: [RoleGrant(role: .educationLead)], by: Actor("test"))
            let now = Date()
            try await store.saveSession(idHash: "abc", data: "{}", expires: now.addingTimeInterval(60))
            try await store.saveSession(idHash: "abc", data: #"{"a":"b"}"#, expires: now.addingTimeInterval(60))
            #expect(try await store.session(idHash: "abc") == #"{"a":"b"}"#)
            #expect(try await store.session(idHash: "abc", now: now.addingTimeInterval(61)) == nil)
            try await store.deleteSession(idHash: "abc")
            #expect(try await store.session(idHash: "abc") == nil)
            try await store.createToken(userID: id, name: "sync", tokenHash: "t1", by: Actor("lead@example.org"))
            #expect(try await store.user(tokenHash: "t1")?.id == id)
            #expect(try await store.tokens(userID: id).first?.lastUsedAt != nil)
            let token = try await store.tokens(userID: id)[0]
            await #expect(throws: StoreError.self) {
                try await store.revokeToken(id: token.id, userID: id + 1, by: Actor("someone"))
            }
            try await store.revokeToken(id: token.id, userID: id, by: Actor("lead@example.org"))
            #expect(try await store.user(tokenHash: "t1") == nil)
        }
    }

    @Test(arguments: TestDatabase.available)
    func theAuditTrailIsAppendOnlyAndRecordsCorrections(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await loadFixture(store)
            let pupil = try await store.requirePupil(alys)
            let schoolID = try await store.requireSchool(school).id
            let session = Session(day("2025-10-06"), .am)
            func entry(_ code: String) -> MarkEntry {
                MarkEntry(pupilID: pupil.id, schoolID: schoolID, mark: Mark(upn: alys, session: session, code: code))
            }
            try await store.writeMarks([entry("N")], by: Actor("tutor@example.org", ip: "10.0.0.5"), reason: nil)
            try await store.writeMarks(
                [entry("I")], by: Actor("office@example.org", ip: "10.0.0.6"), reason: "Parent phoned")
            let events = try await store.searchAudit(AuditQuery(upn: alys))
            #expect(events.map(\.action) == ["mark.amended"])
            #expect(events[0].reason == "Parent phoned")
            #expect(events[0].ip == "10.0.0.6")
            #expect(events[0].before == #"{"code":"N"}"#)
            #expect(events[0].after == #"{"code":"I"}"#)
            #expect(events[0].school == school)
            let recorded = try await store.searchAudit(AuditQuery(schools: [school])).filter {
                $0.action == "marks.recorded"
            }
            #expect(recorded.count == 1 && recorded[0].after == #"{"count":"1"}"#)
            #expect(try await store.searchAudit(AuditQuery(schools: [])).isEmpty)
            #expect(try await store.searchAudit(AuditQuery(actor: "OFFICE@example.org")).count == 1)
            for statement in [
                "UPDATE audit_events SET actor = 'x'", "DELETE FROM audit_events",
                "UPDATE mark_amendments SET reason = 'x'", "DELETE FROM mark_amendments",
            ] {
                await #expect(throws: (any Error).self, "\(statement)") {
                    try await store.sql.raw(SQLQueryString(statement)).run()
                }
            }
            #expect(try await store.amendments(of: alys).count == 1)
        }
    }
}

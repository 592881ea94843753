import AttendanceCore
import Foundation
import Testing

@testable import AttendanceStore

/// Signed-in users and their tokens are held in memory, but only while the accounts' version has not moved: a
/// change made by another process on the same file (the command line deactivating someone while the server runs)
/// is refused on the very next request, with no wait.
@Suite struct AccountCacheTests {
    @Test func aChangeMadeByAnotherProcessIsSeenOnTheNextRequest() async throws {
        try await withSQLiteFile(stores: 2) { stores in
            let (server, command) = (stores[0], stores[1])
            let grants = [
                RoleGrant(role: .formTutor, school: school, registrationGroups: ["7A"]),
                RoleGrant(role: .headOfYear, school: school, yearGroups: ["7"]),
            ]
            let id = try await command.identity.createUser(
                email: "tutor@example.org", displayName: "Tutor", passwordHash: "h", mustChangePassword: false,
                grants: grants, by: AuditActor("admin"))
            try await command.identity.createToken(userID: id, name: "tablet", tokenHash: "t1", by: AuditActor("admin"))
            try await command.identity.createToken(userID: id, name: "laptop", tokenHash: "t2", by: AuditActor("admin"))

            // The server reads the user once and then holds them.
            #expect(try await server.identity.user(tokenHash: "t1")?.grants == grants)
            let version = try await server.accountVersion()
            #expect(server.accounts.token("t1", version: version)?.userID == id)
            #expect(server.accounts.user(id, version: version)?.grants == grants)
            #expect(try await server.identity.user(tokenHash: "t1")?.grants == grants)

            // Another process takes a role away: the next request has one role.
            try await command.identity.removeGrant(grants[1], fromUser: id, by: AuditActor("admin"))
            #expect(try await server.identity.user(tokenHash: "t1")?.grants == [grants[0]])
            #expect(try await server.identity.user(id: id)?.grants == [grants[0]])

            // … revokes the token: refused at once; the other token still works.
            let tablet = try await command.identity.tokens(userID: id).first { $0.name == "tablet" }!
            try await command.identity.revokeToken(id: tablet.id, userID: id, by: AuditActor("tutor@example.org"))
            #expect(try await server.identity.user(tokenHash: "t1") == nil)
            #expect(try await server.identity.user(tokenHash: "t2")?.id == id)

            // … deactivates the user: inactive at once, and the remaining token is gone.
            try await command.identity.deactivateUser(userID: id, by: AuditActor("admin"))
            #expect(try await server.identity.user(id: id)?.isActive == false)
            #expect(try await server.identity.user(tokenHash: "t2") == nil)

            // A reset restores the account, seen by the server at once too.
            try await command.identity.setPassword(
                userID: id, passwordHash: "new", mustChange: true, by: AuditActor("admin"))
            #expect(try await server.identity.user(id: id)?.isActive == true)
            #expect(try await server.identity.user(id: id)?.mustChangePassword == true)
        }
    }

    /// Failed sign-ins lock an account: a lock made in another process is seen at once.
    @Test func aLockMadeElsewhereIsSeenAtOnce() async throws {
        try await withSQLiteFile(stores: 2) { stores in
            let (server, command) = (stores[0], stores[1])
            let id = try await command.identity.createUser(
                email: "lead@example.org", displayName: "Lead", passwordHash: "h", mustChangePassword: false,
                grants: [RoleGrant(role: .educationLead)], by: AuditActor("admin"))
            #expect(try await server.identity.user(id: id)?.lockedUntil == nil)
            // Guessing at an email that is no user changes no user, and leaves what the server holds alone.
            try await command.identity.recordFailedSignIn(email: "nobody@example.org", actor: AuditActor("x"))
            #expect(server.accounts.user(id, version: try await server.accountVersion()) != nil)
            let now = Date()
            for _ in 0..<IdentityRepository.freeAttempts {
                try await command.identity.recordFailedSignIn(
                    email: "lead@example.org", actor: AuditActor("x"), at: now)
            }
            let locked = try #require(try await server.identity.user(id: id)?.lockedUntil)
            #expect(locked > now)
        }
    }

    /// What is held never goes back in time: a reading under an older version is not kept over a newer one.
    @Test func anOlderReadingIsNotKeptOverANewerOne() {
        let cache = AccountCache()
        cache.keep(AccountCache.Token(id: 1, userID: 7, lastUsed: nil), for: "h", version: 5)
        cache.keep(AccountCache.Token(id: 1, userID: 8, lastUsed: nil), for: "h", version: 4)
        #expect(cache.token("h", version: 5)?.userID == 7)
        #expect(cache.token("h", version: 4) == nil)
        cache.keep(AccountCache.Token(id: 2, userID: 9, lastUsed: nil), for: "g", version: 6)
        #expect(cache.token("h", version: 6) == nil)
        #expect(cache.token("g", version: 6)?.userID == 9)
    }
}

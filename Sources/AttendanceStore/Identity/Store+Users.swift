import AttendanceCore
import Foundation
import SQLKit

/// A user as stored: the password is only ever a hash.
public struct UserAccount: Sendable, Hashable {
    public let id: Int
    public let email: String
    public let displayName: String
    public let passwordHash: String
    public let mustChangePassword: Bool
    public let failedAttempts: Int
    public let lockedUntil: Date?
    public let grants: [RoleGrant]
    /// When an administrator deactivated the account; nil while it is active. A deactivated user has no
    /// session and no token, and cannot sign in.
    public let deactivatedAt: Date?

    public var isActive: Bool { deactivatedAt == nil }
}

extension IdentityRepository {
    /// Creates a user with their roles, in one transaction, and records it in the audit trail.
    @discardableResult
    public func createUser(
        email: String, displayName: String, passwordHash: String, mustChangePassword: Bool, grants: [RoleGrant],
        by actor: AuditActor, at now: Date = Date()
    ) async throws -> Int {
        let email = email.lowercased().trimmingCharacters(in: .whitespaces)
        guard email.contains("@"), email.count <= 254 else {
            throw StoreError.notAnEmail(email)
        }
        guard try await user(email: email) == nil else {
            throw StoreError.emailTaken(email)
        }
        for grant in grants {
            do { try grant.validate() } catch { throw StoreError.badGrant(error) }
            if let school = grant.school { _ = try await store.reference.requireSchool(school) }
            if let child = grant.child { _ = try await store.reference.requirePupil(child) }
        }
        return try await store.transaction { db in
            try await Store.accountsChanged(on: db)
            try await db.insert(into: "users")
                .columns(
                    "email", "display_name", "password_hash", "must_change_password", "failed_attempts", "created_at"
                )
                .values(email, displayName, passwordHash, mustChangePassword, 0, Timestamp.text(now)).run()
            guard
                let id = try await db.select().column("id").from("users").where("email", .equal, email)
                    .first(decodingColumn: "id", as: Int.self)
            else { throw StoreError.corrupt("a user just added cannot be read back") }
            try await Self.insertGrants(grants, userID: id, on: db)
            try await Store.audit(
                [
                    AuditEvent(
                        at: now, actor: actor, action: "user.created", school: grants.compactMap(\.school).first,
                        subject: email, after: auditJSON(["roles": grants.map(\.recorded).joined(separator: "; ")]))
                ], on: db)
            return id
        }
    }

    /// Adds a role to an existing user.
    public func addGrant(_ grant: RoleGrant, toUser email: String, by actor: AuditActor) async throws {
        guard let user = try await user(email: email) else { throw StoreError.notFound("user \(email)") }
        do { try grant.validate() } catch { throw StoreError.badGrant(error) }
        try await store.transaction { db in
            try await Self.insertGrants([grant], userID: user.id, on: db)
            try await Store.accountsChanged(on: db)
            try await Store.audit(
                [
                    AuditEvent(
                        actor: actor, action: "user.role_added", school: grant.school, subject: user.email,
                        after: auditJSON(["role": grant.recorded]))
                ], on: db)
        }
    }

    /// Takes a role away from a user (never their last: deactivate the account instead).
    public func removeGrant(_ grant: RoleGrant, fromUser id: Int, by actor: AuditActor) async throws {
        guard let user = try await user(id: id) else { throw StoreError.notFound("user \(id)") }
        guard user.grants.contains(grant) else { throw StoreError.notFound("that role") }
        guard user.grants.count > 1 else { throw StoreError.lastRole }
        try await store.transaction { db in
            try await Store.accountsChanged(on: db)
            var delete = db.delete(from: "role_grants").where("user_id", .equal, id)
                .where("role", .equal, grant.role.rawValue)
            delete =
                grant.school.map { delete.where("school_laestab", .equal, $0.description) }
                ?? delete.where("school_laestab", .is, SQLLiteral.null)
            delete =
                grant.child.map { delete.where("child_upn", .equal, $0.value) }
                ?? delete.where("child_upn", .is, SQLLiteral.null)
            try await delete.run()
            try await Store.audit(
                [
                    AuditEvent(
                        actor: actor, action: "user.role_removed", school: grant.school, subject: user.email,
                        before: auditJSON(["role": grant.recorded]))
                ], on: db)
        }
    }

    static func insertGrants(_ grants: [RoleGrant], userID: Int, on db: any SQLDatabase) async throws {
        try await db.insertRows(
            into: "role_grants",
            columns: [
                "user_id", "role", "school_laestab", "year_groups", "registration_groups", "child_upn",
                "authorises_absence", "allocates_referrals",
            ],
            rows: grants.map { g in
                [
                    userID, g.role.rawValue, g.school?.description, g.yearGroups.joined(separator: ","),
                    g.registrationGroups.joined(separator: ","), g.child?.value, g.authorisesAbsence,
                    g.allocatesReferrals,
                ]
            })
    }

    public func user(email: String) async throws -> UserAccount? {
        guard
            let row = try await store.reader.select().column("*").from("users")
                .where("email", .equal, email.lowercased().trimmingCharacters(in: .whitespaces)).first()
        else { return nil }
        return try await user(from: row)
    }

    /// A user by id: from memory while the accounts have not changed since it was read (see `AccountCache`).
    public func user(id: Int) async throws -> UserAccount? {
        try await user(id: id, version: try await store.accountVersion())
    }

    /// A user by id as of `version` (read before this, so that what is kept is never older than the version).
    func user(id: Int, version: Int) async throws -> UserAccount? {
        if let held = store.accounts.user(id, version: version) { return held }
        guard let row = try await store.reader.select().column("*").from("users").where("id", .equal, id).first() else {
            return nil
        }
        let user = try await user(from: row)
        store.accounts.keep(user, version: version)
        return user
    }

    /// Every account's display name by its email (as the record writes who did something): from memory while the
    /// accounts have not changed since it was read, so a page naming people costs one small query.
    public func displayNames() async throws -> [String: String] {
        let version = try await store.accountVersion()
        if let held = store.accounts.names(version: version) { return held }
        var names: [String: String] = [:]
        for row in try await store.reader.select().columns("email", "display_name").from("users").all() {
            names[try row.decode(column: "email", as: String.self)] = try row.decode(
                column: "display_name", as: String.self)
        }
        store.accounts.keep(names: names, version: version)
        return names
    }

    /// Every user with their grants: two queries however many there are (the ESW pages read every ESW).
    public func users() async throws -> [UserAccount] {
        var grants: [Int: [RoleGrant]] = [:]
        for row in try await store.sql.select().column("*").from("role_grants").orderBy("id").all() {
            grants[try row.decode(column: "user_id", as: Int.self), default: []].append(try Self.grant(from: row))
        }
        return try await store.sql.select().column("*").from("users").orderBy("email").all().map { row in
            try Self.user(from: row, grants: grants[try row.decode(column: "id", as: Int.self)] ?? [])
        }
    }

    private func user(from row: any SQLRow) async throws -> UserAccount {
        let id = try row.decode(column: "id", as: Int.self)
        let grants = try await store.reader.select().column("*").from("role_grants").where("user_id", .equal, id)
            .orderBy(
                "id"
            )
            .all().map(Self.grant(from:))
        return try Self.user(from: row, grants: grants)
    }

    private static func grant(from row: any SQLRow) throws -> RoleGrant {
        func list(_ column: String) throws -> [String] {
            try row.decode(column: column, as: String.self).split(separator: ",").map(String.init)
        }
        guard let role = Role(rawValue: try row.decode(column: "role", as: String.self)) else {
            throw StoreError.corrupt("an unknown role")
        }
        return RoleGrant(
            role: role,
            school: try row.decode(column: "school_laestab", as: String?.self).flatMap { LAESTAB(text: $0) },
            yearGroups: try list("year_groups"), registrationGroups: try list("registration_groups"),
            child: try row.decode(column: "child_upn", as: String?.self).flatMap { try? UPN($0) },
            authorisesAbsence: try row.decode(column: "authorises_absence", as: Bool?.self) ?? false,
            allocatesReferrals: try row.decode(column: "allocates_referrals", as: Bool?.self) ?? false)
    }

    private static func user(from row: any SQLRow, grants: [RoleGrant]) throws -> UserAccount {
        let id = try row.decode(column: "id", as: Int.self)
        return UserAccount(
            id: id, email: try row.decode(column: "email", as: String.self),
            displayName: try row.decode(column: "display_name", as: String.self),
            passwordHash: try row.decode(column: "password_hash", as: String.self),
            mustChangePassword: try row.decode(column: "must_change_password", as: Bool.self),
            failedAttempts: try row.decode(column: "failed_attempts", as: Int.self),
            lockedUntil: try row.decode(column: "locked_until", as: String?.self).map(Store.date(fromTimestamp:)),
            grants: grants,
            deactivatedAt: try row.decode(column: "deactivated_at", as: String?.self).map(Store.date(fromTimestamp:)))
    }

    /// Sets a new password hash. A reset by an administrator sets `mustChange`; a user's own change clears it.
    /// Either way every session of the user ends (but `keepingSession`, the one that changed it) and every API
    /// token is revoked, in the same transaction: whoever knew the old password is out. A reset also restores a
    /// deactivated account.
    public func setPassword(
        userID: Int, passwordHash: String, mustChange: Bool, keepingSession: String? = nil, by actor: AuditActor,
        at now: Date = Date()
    ) async throws {
        guard let user = try await user(id: userID) else { throw StoreError.notFound("user \(userID)") }
        try await store.transaction { db in
            try await Store.accountsChanged(on: db)
            try await db.update("users").set("password_hash", to: passwordHash).set(
                "must_change_password", to: mustChange
            )
            .set("failed_attempts", to: 0).set("locked_until", to: String?.none)
            .set("deactivated_at", to: String?.none)
            .where("id", .equal, userID).run()
            let ended = try await Self.endAccess(userID: userID, keepingSession: keepingSession, at: now, on: db)
            var events = [
                AuditEvent(
                    at: now, actor: actor, action: mustChange ? "user.password_reset" : "user.password_changed",
                    subject: user.email,
                    after: auditJSON(["sessions_ended": String(ended.sessions), "tokens_revoked": String(ended.tokens)])
                )
            ]
            if !user.isActive {
                events.append(AuditEvent(at: now, actor: actor, action: "user.reactivated", subject: user.email))
            }
            try await Store.audit(events, on: db)
        }
    }

    /// Names (or stops naming) a member of senior management or the office to decide whether absence is authorised
    /// at a school, in the head teacher's stead. Audited; their other roles are untouched.
    public func setAbsenceDelegate(
        userID: Int, school: LAESTAB, delegate: Bool, by actor: AuditActor, at now: Date = Date()
    )
        async throws
    {
        guard let user = try await user(id: userID) else { throw StoreError.notFound("user \(userID)") }
        let roles = [Role.seniorManagement.rawValue, Role.attendanceAdministrator.rawValue]
        guard user.grants.contains(where: { $0.school == school && roles.contains($0.role.rawValue) }) else {
            throw StoreError.notADelegateRole
        }
        try await store.transaction { db in
            try await Store.accountsChanged(on: db)
            try await db.update("role_grants").set("authorises_absence", to: delegate).where("user_id", .equal, userID)
                .where("school_laestab", .equal, school.description).where("role", .in, roles).run()
            try await Store.audit(
                [
                    AuditEvent(
                        at: now, actor: actor,
                        action: delegate ? "user.absence_delegate_named" : "user.absence_delegate_removed",
                        school: school, subject: user.email)
                ], on: db)
        }
    }

    /// Names (or stops naming) an education social worker as a senior ESW, who allocates and returns the
    /// referrals of every school they are the ESW of. Audited; their other roles are untouched.
    public func setSeniorEsw(userID: Int, senior: Bool, by actor: AuditActor, at now: Date = Date()) async throws {
        guard let user = try await user(id: userID) else { throw StoreError.notFound("user \(userID)") }
        guard user.grants.contains(where: { $0.role == .educationSocialWorker }) else {
            throw StoreError.notADelegateRole
        }
        try await store.transaction { db in
            try await Store.accountsChanged(on: db)
            try await db.update("role_grants").set("allocates_referrals", to: senior).where("user_id", .equal, userID)
                .where("role", .equal, Role.educationSocialWorker.rawValue).run()
            try await Store.audit(
                [
                    AuditEvent(
                        at: now, actor: actor, action: senior ? "user.senior_esw_named" : "user.senior_esw_removed",
                        subject: user.email)
                ], on: db)
        }
    }

    /// Deactivates a user: every session ends and every token is revoked at once; the account stays (with its
    /// history) but cannot sign in until an administrator resets its password.
    public func deactivateUser(userID: Int, by actor: AuditActor, at now: Date = Date()) async throws {
        guard let user = try await user(id: userID) else { throw StoreError.notFound("user \(userID)") }
        try await store.transaction { db in
            try await Store.accountsChanged(on: db)
            try await db.update("users").set("deactivated_at", to: Timestamp.text(now)).where("id", .equal, userID)
                .run()
            let ended = try await Self.endAccess(userID: userID, keepingSession: nil, at: now, on: db)
            try await Store.audit(
                [
                    AuditEvent(
                        at: now, actor: actor, action: "user.deactivated", subject: user.email,
                        after: auditJSON([
                            "sessions_ended": String(ended.sessions), "tokens_revoked": String(ended.tokens),
                        ]))
                ], on: db)
        }
    }

    /// Revokes every live API token of a user (an administrator's action, or part of a reset).
    public func revokeAllTokens(userID: Int, by actor: AuditActor, at now: Date = Date()) async throws {
        guard let user = try await user(id: userID) else { throw StoreError.notFound("user \(userID)") }
        try await store.transaction { db in
            try await Store.accountsChanged(on: db)
            let live = try await db.select().column("id").from("api_tokens").where("user_id", .equal, userID)
                .where(SQLColumn("revoked_at"), .is, SQLLiteral.null).all().count
            try await db.update("api_tokens").set("revoked_at", to: Timestamp.text(now)).where(
                "user_id", .equal, userID
            )
            .where(SQLColumn("revoked_at"), .is, SQLLiteral.null).run()
            try await Store.audit(
                [
                    AuditEvent(
                        at: now, actor: actor, action: "token.revoked_all", subject: user.email,
                        after: auditJSON(["tokens_revoked": String(live)]))
                ], on: db)
        }
    }

    /// Ends a user's sessions (all but one, if named) and revokes their tokens; returns how many of each.
    static func endAccess(
        userID: Int, keepingSession: String?, at now: Date, on db: any SQLDatabase
    ) async throws -> (sessions: Int, tokens: Int) {
        var sessions = db.select().column("id_hash").from("web_sessions").where("user_id", .equal, userID)
        var delete = db.delete(from: "web_sessions").where("user_id", .equal, userID)
        if let keepingSession {
            sessions = sessions.where("id_hash", .notEqual, keepingSession)
            delete = delete.where("id_hash", .notEqual, keepingSession)
        }
        let sessionCount = try await sessions.all().count
        try await delete.run()
        let tokens = try await db.select().column("id").from("api_tokens").where("user_id", .equal, userID)
            .where(SQLColumn("revoked_at"), .is, SQLLiteral.null).all().count
        try await db.update("api_tokens").set("revoked_at", to: Timestamp.text(now)).where("user_id", .equal, userID)
            .where(SQLColumn("revoked_at"), .is, SQLLiteral.null).run()
        return (sessionCount, tokens)
    }

    /// After this many failures in a row an account waits before it can be tried again.
    public static let freeAttempts = 5

    /// Records a failed sign-in: from the fifth failure on, the account waits 1, 2, 4 … (at most 60) minutes.
    /// A try while the account is already waiting is recorded but neither counts nor lengthens the wait, so
    /// nobody can keep someone else's account shut by guessing at it.
    public func recordFailedSignIn(email: String, actor: AuditActor, at now: Date = Date()) async throws {
        let user = try await user(email: email)
        let waiting = user?.lockedUntil.map { $0 > now } ?? false
        try await store.transaction { db in
            if let user, !waiting {
                // Only a change to a user moves the version: guessing at unknown emails leaves what is held alone.
                try await Store.accountsChanged(on: db)
                let failures = user.failedAttempts + 1
                var lockedUntil: String? = nil
                if failures >= Self.freeAttempts {
                    let minutes = min(60, 1 << min(6, failures - Self.freeAttempts))
                    lockedUntil = Timestamp.text(now.addingTimeInterval(Double(minutes) * 60))
                }
                try await db.update("users").set("failed_attempts", to: failures).set("locked_until", to: lockedUntil)
                    .where("id", .equal, user.id).run()
            }
            // The email typed is kept even when no such user exists: the trail shows guessing.
            try await Store.audit(
                [AuditEvent(at: now, actor: actor, action: "sign_in_failed", subject: email.lowercased())], on: db)
        }
    }

    public func recordSignIn(user: UserAccount, actor: AuditActor, at now: Date = Date()) async throws {
        try await store.transaction { db in
            try await Store.accountsChanged(on: db)
            try await db.update("users").set("failed_attempts", to: 0).set("locked_until", to: String?.none)
                .where("id", .equal, user.id).run()
            try await Store.audit(
                [
                    AuditEvent(
                        at: now, actor: actor, action: "sign_in", school: user.grants.compactMap(\.school).first,
                        subject: user.email)
                ], on: db)
        }
    }
}

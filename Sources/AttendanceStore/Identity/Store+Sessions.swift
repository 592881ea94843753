import Foundation
import SQLKit

/// Server-side web sessions, keyed by a hash of the cookie's secret. Sessions outlive a restart.
extension IdentityRepository {
    /// Saves a session with the user it belongs to (nil before sign-in), so their sessions can be ended together.
    public func saveSession(idHash: String, data: String, userID: Int?, expires: Date) async throws {
        try await store.sql.insert(into: "web_sessions").columns("id_hash", "data", "expires_at", "user_id")
            .values(idHash, data, Timestamp.text(expires), userID)
            .onConflict(with: ["id_hash"]) {
                $0.set(excludedValueOf: "data").set(excludedValueOf: "expires_at").set(excludedValueOf: "user_id")
            }
            .run()
    }

    /// How many live sessions a user has (for the users page and tests).
    public func sessionCount(userID: Int, now: Date = Date()) async throws -> Int {
        try await store.sql.select().column("id_hash").from("web_sessions").where("user_id", .equal, userID)
            .where("expires_at", .greaterThan, Timestamp.text(now)).all().count
    }

    /// Every session row, signed in or not (tests check that anonymous visits leave none).
    public func sessionRowCount() async throws -> Int {
        try await store.sql.select().column("id_hash").from("web_sessions").all().count
    }

    /// The session's data, or nil when there is none or it has expired.
    public func session(idHash: String, now: Date = Date()) async throws -> String? {
        try await store.reader.select().column("data").from("web_sessions").where("id_hash", .equal, idHash)
            .where("expires_at", .greaterThan, Timestamp.text(now)).first(decodingColumn: "data", as: String.self)
    }

    public func deleteSession(idHash: String) async throws {
        try await store.sql.delete(from: "web_sessions").where("id_hash", .equal, idHash).run()
    }

    public func deleteExpiredSessions(now: Date = Date()) async throws {
        try await store.sql.delete(from: "web_sessions").where("expires_at", .lessThanOrEqual, Timestamp.text(now))
            .run()
    }
}

/// A personal API token: shown once when made, then known only by its hash.
public struct APIToken: Sendable, Hashable {
    public let id: Int
    public let name: String
    public let createdAt: Date
    public let lastUsedAt: Date?
    public let revokedAt: Date?
}

extension IdentityRepository {
    public func createToken(userID: Int, name: String, tokenHash: String, by actor: AuditActor, at now: Date = Date())
        async throws
    {
        guard let user = try await user(id: userID) else { throw StoreError.notFound("user \(userID)") }
        try await store.transaction { db in
            try await Store.accountsChanged(on: db)
            try await db.insert(into: "api_tokens").columns("user_id", "name", "token_hash", "created_at")
                .values(userID, name, tokenHash, Timestamp.text(now)).run()
            try await Store.audit(
                [
                    AuditEvent(
                        at: now, actor: actor, action: "token.created", subject: user.email,
                        after: auditJSON(["name": name]))
                ],
                on: db)
        }
    }

    public func tokens(userID: Int) async throws -> [APIToken] {
        try await store.sql.select().column("*").from("api_tokens").where("user_id", .equal, userID).orderBy("id").all()
            .map { row in
                APIToken(
                    id: try row.decode(column: "id", as: Int.self),
                    name: try row.decode(column: "name", as: String.self),
                    createdAt: Store.date(fromTimestamp: try row.decode(column: "created_at", as: String.self)),
                    lastUsedAt: try row.decode(column: "last_used_at", as: String?.self).map(
                        Store.date(fromTimestamp:)),
                    revokedAt: try row.decode(column: "revoked_at", as: String?.self).map(Store.date(fromTimestamp:)))
            }
    }

    /// Revokes one of the user's own tokens; another user's token is not found.
    public func revokeToken(id: Int, userID: Int, by actor: AuditActor, at now: Date = Date()) async throws {
        guard let token = try await tokens(userID: userID).first(where: { $0.id == id }) else {
            throw StoreError.notFound("token \(id)")
        }
        try await store.transaction { db in
            try await Store.accountsChanged(on: db)
            try await db.update("api_tokens").set("revoked_at", to: Timestamp.text(now))
                .where("id", .equal, id).where("user_id", .equal, userID).run()
            try await Store.audit(
                [AuditEvent(at: now, actor: actor, action: "token.revoked", after: auditJSON(["name": token.name]))],
                on: db)
        }
    }

    /// The user a live token belongs to (and notes its use, to the minute), or nil. From memory while the accounts
    /// have not changed (see `AccountCache`): the version is read first, so nothing kept is older than it.
    public func user(tokenHash: String, now: Date = Date()) async throws -> UserAccount? {
        let version = try await store.accountVersion()
        var token: AccountCache.Token
        if let held = store.accounts.token(tokenHash, version: version) {
            token = held
        } else {
            guard
                let row = try await store.reader.select().columns("id", "user_id", "last_used_at").from("api_tokens")
                    .where("token_hash", .equal, tokenHash).where(SQLColumn("revoked_at"), .is, SQLLiteral.null)
                    .first()
            else { return nil }
            token = AccountCache.Token(
                id: try row.decode(column: "id", as: Int.self), userID: try row.decode(column: "user_id", as: Int.self),
                lastUsed: try row.decode(column: "last_used_at", as: String?.self))
            store.accounts.keep(token, for: tokenHash, version: version)
        }
        // A write a minute at most, not one per request: a register save would otherwise queue behind another
        // write on SQLite's one writer only to say the token was used.
        if token.lastUsed.map({ $0 < Timestamp.text(now.addingTimeInterval(-60)) }) ?? true {
            let stamp = Timestamp.text(now)
            try await store.sql.update("api_tokens").set("last_used_at", to: stamp).where("id", .equal, token.id).run()
            token.lastUsed = stamp
            store.accounts.keep(token, for: tokenHash, version: version)
        }
        return try await user(id: token.userID, version: version)
    }
}

import FluentKit

/// Server-side sessions and API tokens. Both keep only a SHA-256 of the secret, so a copy of the database
/// cannot be used to sign in.
struct M0011_CreateWebSessionsAndTokens: AsyncMigration {
    var name: String { "M0011_CreateWebSessionsAndTokens" }

    func prepare(on database: any Database) async throws {
        try await database.schema("web_sessions")
            .field("id_hash", .string, .identifier(auto: false))
            .field("data", .string, .required)
            .field("expires_at", .string, .required)
            .create()
        try await database.schema("api_tokens")
            .field("id", .int, .identifier(auto: true))
            .field("user_id", .int, .required, .references("users", "id"))
            .field("name", .string, .required)
            .field("token_hash", .string, .required)
            .field("created_at", .string, .required)
            .field("last_used_at", .string)
            .field("revoked_at", .string)
            .unique(on: "token_hash")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("api_tokens").delete()
        try await database.schema("web_sessions").delete()
    }
}

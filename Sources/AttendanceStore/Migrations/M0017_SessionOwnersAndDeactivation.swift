import FluentKit

/// Sessions name their user, so a password change or reset can end every other session of that user at once;
/// users can be deactivated (kept for the record, never signed in again until an administrator restores them).
struct M0017_SessionOwnersAndDeactivation: AsyncMigration {
    var name: String { "M0017_SessionOwnersAndDeactivation" }

    func prepare(on database: any Database) async throws {
        try await database.schema("web_sessions").field("user_id", .int).update()
        try await database.schema("users").field("deactivated_at", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("users").deleteField("deactivated_at").update()
        try await database.schema("web_sessions").deleteField("user_id").update()
    }
}

import FluentKit

struct M0010_CreateUsers: AsyncMigration {
    var name: String { "M0010_CreateUsers" }

    func prepare(on database: any Database) async throws {
        try await database.schema("users")
            .field("id", .int, .identifier(auto: true))
            .field("email", .string, .required)
            .field("display_name", .string, .required)
            .field("password_hash", .string, .required)
            .field("must_change_password", .bool, .required)
            .field("failed_attempts", .int, .required)
            .field("locked_until", .string)
            .field("created_at", .string, .required)
            .unique(on: "email")
            .create()
        try await database.schema("role_grants")
            .field("id", .int, .identifier(auto: true))
            .field("user_id", .int, .required, .references("users", "id"))
            .field("role", .string, .required)
            .field("school_laestab", .string)
            .field("year_groups", .string, .required)
            .field("registration_groups", .string, .required)
            .field("child_upn", .string)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("role_grants").delete()
        try await database.schema("users").delete()
    }
}

import FluentKit

/// First-day contact: every attempt to reach a pupil's contacts, with its outcome, and any reason given with
/// the code it proposes until an authorised person confirms it.
struct M0014_CreateContactAttempts: AsyncMigration {
    var name: String { "M0014_CreateContactAttempts" }

    func prepare(on database: any Database) async throws {
        try await database.schema("contact_attempts")
            .field("id", .int, .identifier(auto: true))
            .field("pupil_id", .int, .required, .references("pupils", "id"))
            .field("school_id", .int, .required, .references("schools", "id"))
            .field("date", .string, .required)
            .field("method", .string, .required)
            .field("contact_name", .string, .required)
            .field("outcome", .string, .required)
            .field("notes", .string)
            .field("proposed_code", .string)
            .field("recorded_by", .string, .required)
            .field("recorded_at", .string, .required)
            .field("confirmed_by", .string)
            .field("confirmed_at", .string)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("contact_attempts").delete()
    }
}

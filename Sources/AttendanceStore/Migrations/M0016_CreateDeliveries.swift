import FluentKit
import SQLKit

/// Emails and text messages to parents: one row per message, kept until it is sent (a failure is retried and
/// stays visible as failed), and one row per attempt, so every try is on the pupil's record.
struct M0016_CreateDeliveries: AsyncMigration {
    var name: String { "M0016_CreateDeliveries" }

    func prepare(on database: any Database) async throws {
        try await database.schema("deliveries")
            .field("id", .int, .identifier(auto: true))
            .field("pupil_id", .int, .required, .references("pupils", "id"))
            .field("school_id", .int, .required, .references("schools", "id"))
            .field("letter_id", .int, .references("letters", "id"))
            .field("channel", .string, .required)
            .field("purpose", .string, .required)
            .field("recipient", .string, .required)
            .field("subject", .string, .required)
            .field("body", .string, .required)
            .field("status", .string, .required)
            .field("attempts", .int, .required)
            .field("last_error", .string)
            .field("next_attempt_at", .string)
            .field("sent_at", .string)
            .field("provider_reference", .string)
            .field("created_by", .string, .required)
            .field("created_at", .string, .required)
            .create()
        try await database.schema("delivery_attempts")
            .field("id", .int, .identifier(auto: true))
            .field("delivery_id", .int, .required, .references("deliveries", "id"))
            .field("at", .string, .required)
            .field("succeeded", .bool, .required)
            .field("detail", .string, .required)
            .create()
        let sql = database.sqlDatabase
        try await sql.create(index: "deliveries_pupil_idx").on("deliveries").column("pupil_id").run()
        try await sql.create(index: "deliveries_status_idx").on("deliveries").column("status").run()
        try await sql.create(index: "delivery_attempts_delivery_idx").on("delivery_attempts").column("delivery_id")
            .run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("delivery_attempts").delete()
        try await database.schema("deliveries").delete()
    }
}

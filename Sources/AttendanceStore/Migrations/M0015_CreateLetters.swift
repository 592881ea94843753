import FluentKit
import SQLKit

/// Every letter produced, with the exact copy kept as evidence (HTML and PDF, as sent). Append-only like the
/// audit trail: a letter once produced is never changed or deleted. Template overrides made in the browser
/// live beside them, one row per letter kind and language.
struct M0015_CreateLetters: AsyncMigration {
    var name: String { "M0015_CreateLetters" }

    func prepare(on database: any Database) async throws {
        try await database.schema("letters")
            .field("id", .int, .identifier(auto: true))
            .field("pupil_id", .int, .required, .references("pupils", "id"))
            .field("school_id", .int, .required, .references("schools", "id"))
            .field("kind", .string, .required)
            .field("languages", .string, .required)
            .field("recipient_names", .string, .required)
            .field("recipient_address", .string)
            .field("recipient_email", .string)
            .field("channel", .string, .required)
            .field("action_id", .int, .references("procedure_actions", "id"))
            .field("batch", .string)
            .field("produced_by", .string, .required)
            .field("produced_at", .string, .required)
            .field("html", .string, .required)
            // Base64 of the PDF's bytes: the same text on both databases, decoded byte for byte.
            .field("pdf", .string)
            .field("sha256", .string, .required)
            .create()
        let sql = database.sqlDatabase
        try await sql.create(index: "letters_pupil_idx").on("letters").column("pupil_id").run()
        try await sql.create(index: "letters_batch_idx").on("letters").column("school_id").column("batch").run()
        try await sql.refuseChanges(to: "letters")
        // A day's printed letters as one PDF, made once from the kept copies' pages.
        try await database.schema("letter_batches")
            .field("id", .string, .identifier(auto: false))
            .field("school_id", .int, .required, .references("schools", "id"))
            .field("produced_by", .string, .required)
            .field("produced_at", .string, .required)
            .field("pdf", .string)
            .create()
        try await database.schema("letter_templates")
            .field("kind", .string, .required)
            .field("language", .string, .required)
            .field("body", .string, .required)
            .field("updated_by", .string, .required)
            .field("updated_at", .string, .required)
            .unique(on: "kind", "language")
            .create()
    }

    func revert(on database: any Database) async throws {
        // A day's printed letters as one PDF, made once from the kept copies' pages.
        try await database.schema("letter_batches")
            .field("id", .string, .identifier(auto: false))
            .field("school_id", .int, .required, .references("schools", "id"))
            .field("produced_by", .string, .required)
            .field("produced_at", .string, .required)
            .field("pdf", .string)
            .create()
        try await database.schema("letter_templates").delete()
        try await database.schema("letter_batches").delete()
        try await database.schema("letters").delete()
    }
}

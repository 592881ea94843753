import FluentKit
import SQLKit

/// Prosecutions, Education Supervision Orders and School Attendance Orders (issue 31): each proceeding with the
/// last step it has reached (so two clicks record one step), and its steps, append-only.
struct M0040_CreateLegalProceedings: AsyncMigration {
    var name: String { "M0040_CreateLegalProceedings" }

    func prepare(on database: any Database) async throws {
        try await database.schema("legal_proceedings")
            .field("id", .int, .identifier(auto: true))
            .field("pupil_id", .int, .required, .references("pupils", "id"))
            .field("kind", .string, .required)
            .field("origin", .string, .required)
            .field("origin_id", .int, .required)
            .field("last_step", .string, .required)
            .field("steps", .int, .required)
            .unique(on: "kind", "origin", "origin_id")
            .create()
        try await database.schema("legal_steps")
            .field("id", .int, .identifier(auto: true))
            .field("proceeding_id", .int, .required, .references("legal_proceedings", "id"))
            .field("step", .string, .required)
            .field("on_day", .string, .required)
            .field("detail", .string, .required)
            .field("by", .string, .required)
            .field("at", .string, .required)
            .create()
        let sql = database.sqlDatabase
        try await sql.create(index: "legal_proceedings_pupil_idx").on("legal_proceedings").column("pupil_id").run()
        try await sql.create(index: "legal_steps_proceeding_idx").on("legal_steps").column("proceeding_id").run()
        try await sql.refuseChanges(to: "legal_steps")
    }

    func revert(on database: any Database) async throws {
        try await database.schema("legal_steps").delete()
        try await database.schema("legal_proceedings").delete()
    }
}

import FluentKit
import SQLKit

/// The legal history of the register: every change to an existing mark, with the entry it replaced
/// (code, minutes, who and when) and the new one, who made the change, when and why. Append-only.
struct M0008_CreateMarkAmendments: AsyncMigration {
    var name: String { "M0008_CreateMarkAmendments" }

    func prepare(on database: any Database) async throws {
        try await database.schema("mark_amendments")
            .field("id", .int, .identifier(auto: true))
            .field("pupil_id", .int, .required, .references("pupils", "id"))
            .field("school_id", .int, .required, .references("schools", "id"))
            .field("date", .string, .required)
            .field("session", .string, .required)
            .field("old_code", .string, .required)
            .field("old_minutes_late", .int)
            .field("old_note", .string)
            .field("old_recorded_by", .string, .required)
            .field("old_recorded_at", .string, .required)
            .field("new_code", .string, .required)
            .field("new_minutes_late", .int)
            .field("new_note", .string)
            .field("changed_by", .string, .required)
            .field("changed_at", .string, .required)
            .field("reason", .string, .required)
            .create()
        try await database.sqlDatabase.create(index: "mark_amendments_pupil_idx")
            .on("mark_amendments").column("pupil_id").column("date").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("mark_amendments").delete()
    }
}

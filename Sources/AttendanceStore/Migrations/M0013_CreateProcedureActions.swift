import FluentKit
import SQLKit

/// Actions the procedure has called for, one row per pupil per action key. Never deleted: a correction that
/// takes a pupil back under a line sets the status to withdrawn (the audit trail keeps each change of status).
struct M0013_CreateProcedureActions: AsyncMigration {
    var name: String { "M0013_CreateProcedureActions" }

    func prepare(on database: any Database) async throws {
        try await database.schema("procedure_actions")
            .field("id", .int, .identifier(auto: true))
            .field("pupil_id", .int, .required, .references("pupils", "id"))
            .field("school_id", .int, .required, .references("schools", "id"))
            .field("academic_year", .int, .required)
            .field("key", .string, .required)
            .field("action", .string, .required)
            .field("basis", .string, .required)
            .field("count", .int, .required)
            .field("sessions", .string, .required)
            .field("status", .string, .required)
            .field("due_on", .string, .required)
            .field("recorded_by", .string, .required)
            .field("recorded_at", .string, .required)
            .field("status_changed_by", .string)
            .field("status_changed_at", .string)
            .field("status_note", .string)
            .unique(on: "pupil_id", "key")
            .create()
        try await database.sqlDatabase.create(index: "procedure_actions_school_idx")
            .on("procedure_actions").column("school_id").column("status").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("procedure_actions").delete()
    }
}

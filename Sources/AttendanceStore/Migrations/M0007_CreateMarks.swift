import FluentKit
import SQLKit

/// The register. One row per pupil per session; never deleted by any route or command.
struct M0007_CreateMarks: AsyncMigration {
    var name: String { "M0007_CreateMarks" }

    func prepare(on database: any Database) async throws {
        try await database.schema("marks")
            .field("id", .int, .identifier(auto: true))
            .field("pupil_id", .int, .required, .references("pupils", "id"))
            .field("school_id", .int, .required, .references("schools", "id"))
            .field("date", .string, .required)
            .field("session", .string, .required)
            .field("code", .string, .required)
            .field("minutes_late", .int)
            .field("note", .string)
            .field("recorded_by", .string, .required)
            .field("recorded_at", .string, .required)
            .unique(on: "pupil_id", "date", "session")
            .create()
        // Registers are read by school and day (the unique key already serves pupil + date).
        try await database.sqlDatabase.create(index: "marks_school_date_idx")
            .on("marks").column("school_id").column("date").column("session").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("marks").delete()
    }
}

import FluentKit
import SQLKit

/// Community Education Patrol entries: a child found out of school, as logged (append-only), with the school and
/// pupil it matched when it matched one.
struct M0031_CreatePatrolEntries: AsyncMigration {
    var name: String { "M0031_CreatePatrolEntries" }

    func prepare(on database: any Database) async throws {
        try await database.schema("patrol_entries")
            .field("id", .int, .identifier(auto: true))
            .field("seen_on", .string, .required)
            .field("seen_at", .string, .required)
            .field("place", .string, .required)
            .field("name_given", .string, .required)
            .field("school_given", .string, .required)
            .field("school_id", .int, .references("schools", "id"))
            .field("pupil_id", .int, .references("pupils", "id"))
            .field("reason_given", .string, .required)
            .field("accompanied", .bool, .required)
            .field("taken_to", .string, .required)
            .field("logged_by", .string, .required)
            .field("logged_at", .string, .required)
            .create()
        let sql = database.sqlDatabase
        try await sql.create(index: "patrol_entries_school_idx").on("patrol_entries").column("school_id")
            .column("seen_on").run()
        try await sql.create(index: "patrol_entries_pupil_idx").on("patrol_entries").column("pupil_id").run()
        try await sql.refuseChanges(to: "patrol_entries")
    }

    func revert(on database: any Database) async throws {
        try await database.schema("patrol_entries").delete()
    }
}

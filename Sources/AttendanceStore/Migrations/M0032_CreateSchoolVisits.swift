import FluentKit
import SQLKit

/// An ESW's visits to a school to discuss the pupils below 92% (append-only): the trend on the next visit's list is
/// measured from the last of them.
struct M0032_CreateSchoolVisits: AsyncMigration {
    var name: String { "M0032_CreateSchoolVisits" }

    func prepare(on database: any Database) async throws {
        try await database.schema("school_visits")
            .field("id", .int, .identifier(auto: true))
            .field("school_id", .int, .required, .references("schools", "id"))
            .field("visited_on", .string, .required)
            .field("visited_by", .string, .required)
            .field("met_with", .string, .required)
            .field("notes", .string, .required)
            .field("recorded_at", .string, .required)
            .create()
        let sql = database.sqlDatabase
        try await sql.create(index: "school_visits_school_idx").on("school_visits").column("school_id")
            .column("visited_on").run()
        try await sql.refuseChanges(to: "school_visits")
    }

    func revert(on database: any Database) async throws {
        try await database.schema("school_visits").delete()
    }
}

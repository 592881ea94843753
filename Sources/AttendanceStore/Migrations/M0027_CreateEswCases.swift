import FluentKit
import SQLKit

/// The Education Social Work service's casework: each school's ESW area; a case per referral (its standing and
/// allocation kept for lists), and its steps as append-only events: the referral, the allocation or return, every
/// home visit, call and meeting logged, and the closing.
struct M0027_CreateEswCases: AsyncMigration {
    var name: String { "M0027_CreateEswCases" }

    func prepare(on database: any Database) async throws {
        try await database.schema("schools").field("esw_area", .int).update()
        try await database.schema("esw_cases")
            .field("id", .int, .identifier(auto: true))
            .field("pupil_id", .int, .required, .references("pupils", "id"))
            .field("school_id", .int, .required, .references("schools", "id"))
            .field("status", .string, .required)
            .field("source", .string, .required)
            .field("referred_on", .string, .required)
            .field("referred_by", .string, .required)
            .field("notes", .string, .required)
            .field("concerns", .string, .required)
            .field("allocated_to", .string)
            .field("next_step", .string)
            .field("next_step_on", .string)
            .create()
        try await database.schema("esw_events")
            .field("id", .int, .identifier(auto: true))
            .field("case_id", .int, .required, .references("esw_cases", "id"))
            .field("step", .string, .required)
            .field("at", .string, .required)
            .field("by", .string, .required)
            .field("reason", .string)
            .field("data", .string, .required)
            .create()
        let sql = database.sqlDatabase
        try await sql.create(index: "esw_cases_school_idx").on("esw_cases").column("school_id").column("status").run()
        try await sql.create(index: "esw_cases_pupil_idx").on("esw_cases").column("pupil_id").run()
        try await sql.create(index: "esw_events_case_idx").on("esw_events").column("case_id").run()
        try await sql.refuseChanges(to: "esw_events")
    }

    func revert(on database: any Database) async throws {
        try await database.schema("esw_events").delete()
        try await database.schema("esw_cases").delete()
        try await database.schema("schools").deleteField("esw_area").update()
    }
}

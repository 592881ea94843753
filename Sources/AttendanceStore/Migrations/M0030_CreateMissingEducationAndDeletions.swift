import FluentKit
import SQLKit

/// Children Missing Education enquiries (a case per referral, its enquiries append-only, its outcome set once), and
/// every deletion from a school's register with its ground, for the authority's return (append-only).
struct M0030_CreateMissingEducationAndDeletions: AsyncMigration {
    var name: String { "M0030_CreateMissingEducationAndDeletions" }

    func prepare(on database: any Database) async throws {
        try await database.schema("cme_cases")
            .field("id", .int, .identifier(auto: true))
            .field("pupil_id", .int, .required, .references("pupils", "id"))
            .field("school_id", .int, .required, .references("schools", "id"))
            .field("referred_on", .string, .required)
            .field("referred_by", .string, .required)
            .field("reason", .string, .required)
            .field("outcome", .string)
            .field("outcome_laestab", .string)
            .field("completed_on", .string)
            .field("completed_by", .string)
            .create()
        try await database.schema("cme_enquiries")
            .field("id", .int, .identifier(auto: true))
            .field("case_id", .int, .required, .references("cme_cases", "id"))
            .field("on_day", .string, .required)
            .field("check_made", .string, .required)
            .field("with_whom", .string, .required)
            .field("result", .string, .required)
            .field("by", .string, .required)
            .field("at", .string, .required)
            .create()
        try await database.schema("roll_deletions")
            .field("id", .int, .identifier(auto: true))
            .field("pupil_id", .int, .required, .references("pupils", "id"))
            .field("school_id", .int, .required, .references("schools", "id"))
            .field("off_roll_on", .string, .required)
            .field("ground", .string, .required)
            .field("new_laestab", .string)
            .field("recorded_by", .string, .required)
            .field("recorded_at", .string, .required)
            .create()
        let sql = database.sqlDatabase
        try await sql.create(index: "cme_cases_pupil_idx").on("cme_cases").column("pupil_id").run()
        try await sql.create(index: "cme_enquiries_case_idx").on("cme_enquiries").column("case_id").run()
        try await sql.create(index: "roll_deletions_day_idx").on("roll_deletions").column("off_roll_on").run()
        for table in ["cme_enquiries", "roll_deletions"] { try await sql.refuseChanges(to: table) }
    }

    func revert(on database: any Database) async throws {
        try await database.schema("roll_deletions").delete()
        try await database.schema("cme_enquiries").delete()
        try await database.schema("cme_cases").delete()
    }
}

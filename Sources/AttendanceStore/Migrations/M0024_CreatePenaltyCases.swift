import FluentKit
import SQLKit

/// Fixed penalty notices: a case per pupil per term (its standing kept for lists), its steps as append-only
/// events (who, when, why: the case's record, which the database refuses to change), and the notices served,
/// one per parent, with their payment or lapse.
struct M0024_CreatePenaltyCases: AsyncMigration {
    var name: String { "M0024_CreatePenaltyCases" }

    func prepare(on database: any Database) async throws {
        try await database.schema("penalty_cases")
            .field("id", .int, .identifier(auto: true))
            .field("pupil_id", .int, .required, .references("pupils", "id"))
            .field("school_id", .int, .required, .references("schools", "id"))
            .field("term_start", .string, .required)
            .field("term_end", .string, .required)
            .field("criteria", .string, .required)
            .field("counts", .string, .required)
            .field("status", .string, .required)
            .field("warned_on", .string)
            .field("opened_at", .string, .required)
            .create()
        try await database.schema("penalty_events")
            .field("id", .int, .identifier(auto: true))
            .field("case_id", .int, .required, .references("penalty_cases", "id"))
            .field("notice_id", .int)
            .field("step", .string, .required)
            .field("at", .string, .required)
            .field("by", .string, .required)
            .field("reason", .string)
            .field("data", .string)
            .create()
        try await database.schema("penalty_notices")
            .field("id", .int, .identifier(auto: true))
            .field("case_id", .int, .required, .references("penalty_cases", "id"))
            .field("number", .string, .required)
            .field("parent", .string, .required)
            .field("address", .string)
            .field("language", .string, .required)
            .field("method", .string, .required)
            .field("issued_on", .string, .required)
            .field("received_on", .string, .required)
            .field("status", .string, .required)
            .field("paid_pence", .int)
            .field("paid_on", .string)
            .field("reference", .string)
            .unique(on: "number")
            .create()
        let sql = database.sqlDatabase
        try await sql.create(index: "penalty_cases_school_idx").on("penalty_cases").column("school_id")
            .column("status").run()
        try await sql.create(index: "penalty_events_case_idx").on("penalty_events").column("case_id").run()
        try await sql.create(index: "penalty_notices_parent_idx").on("penalty_notices").column("parent").run()
        try await sql.refuseChanges(to: "penalty_events")
    }

    func revert(on database: any Database) async throws {
        try await database.schema("penalty_notices").delete()
        try await database.schema("penalty_events").delete()
        try await database.schema("penalty_cases").delete()
    }
}

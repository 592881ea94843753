import FluentKit
import SQLKit

/// Attendance Improvement Plans on ESW cases: the plan (its outcome and next step set once, at the end) and its
/// weekly reviews, each with the week's attendance as the register had it, append-only.
struct M0028_CreateImprovementPlans: AsyncMigration {
    var name: String { "M0028_CreateImprovementPlans" }

    func prepare(on database: any Database) async throws {
        try await database.schema("improvement_plans")
            .field("id", .int, .identifier(auto: true))
            .field("case_id", .int, .required, .references("esw_cases", "id"))
            .field("start", .string, .required)
            .field("target_percent", .int, .required)
            .field("school_actions", .string, .required)
            .field("family_actions", .string, .required)
            .field("pupil_actions", .string, .required)
            .field("created_by", .string, .required)
            .field("created_at", .string, .required)
            .field("outcome", .string)
            .field("next_step", .string)
            .create()
        try await database.schema("plan_reviews")
            .field("id", .int, .identifier(auto: true))
            .field("plan_id", .int, .required, .references("improvement_plans", "id"))
            .field("week", .int, .required)
            .field("possible", .int, .required)
            .field("attended", .int, .required)
            .field("percent", .string, .required)
            .field("note", .string, .required)
            .field("by", .string, .required)
            .field("at", .string, .required)
            .unique(on: "plan_id", "week")
            .create()
        let sql = database.sqlDatabase
        try await sql.create(index: "improvement_plans_case_idx").on("improvement_plans").column("case_id").run()
        try await sql.refuseChanges(to: "plan_reviews")
    }

    func revert(on database: any Database) async throws {
        try await database.schema("plan_reviews").delete()
        try await database.schema("improvement_plans").delete()
    }
}

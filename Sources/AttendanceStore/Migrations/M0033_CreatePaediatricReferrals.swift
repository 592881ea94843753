import FluentKit
import SQLKit

/// Referrals to the Community Paediatrician after Letter 3 (the outcome filled once), and the reintegration plans
/// that follow them (append-only).
struct M0033_CreatePaediatricReferrals: AsyncMigration {
    var name: String { "M0033_CreatePaediatricReferrals" }

    func prepare(on database: any Database) async throws {
        try await database.schema("paediatric_referrals")
            .field("id", .int, .identifier(auto: true))
            .field("pupil_id", .int, .required, .references("pupils", "id"))
            .field("school_id", .int, .required, .references("schools", "id"))
            .field("referred_on", .string, .required)
            .field("referred_by", .string, .required)
            .field("reason", .string, .required)
            .field("letter3_on", .string, .required)
            .field("medical_sessions", .int, .required)
            .field("outcome", .string)
            .field("outcome_on", .string)
            .field("outcome_note", .string)
            .field("outcome_by", .string)
            .create()
        try await database.schema("reintegration_plans")
            .field("id", .int, .identifier(auto: true))
            .field("referral_id", .int, .required, .references("paediatric_referrals", "id"))
            .field("starts_on", .string, .required)
            .field("review_on", .string, .required)
            .field("arrangements", .string, .required)
            .field("agreed_with", .string, .required)
            .field("recorded_by", .string, .required)
            .field("recorded_at", .string, .required)
            .create()
        let sql = database.sqlDatabase
        try await sql.create(index: "paediatric_referrals_pupil_idx").on("paediatric_referrals").column("pupil_id")
            .run()
        try await sql.create(index: "reintegration_plans_referral_idx").on("reintegration_plans")
            .column("referral_id").run()
        try await sql.refuseChanges(to: "reintegration_plans")
    }

    func revert(on database: any Database) async throws {
        try await database.schema("reintegration_plans").delete()
        try await database.schema("paediatric_referrals").delete()
    }
}

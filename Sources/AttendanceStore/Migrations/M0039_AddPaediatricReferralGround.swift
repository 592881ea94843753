import FluentKit
import SQLKit

/// A referral to the Community Paediatrician may rest on the year's illness and medical sessions reaching the
/// policy's share, before Letter 3 (issue 31): each referral keeps its ground. `letter3_on` was required and
/// SQLite cannot loosen a column in place: a referral on the share keeps it empty (read back as no Letter 3), and
/// every earlier referral was made after Letter 3.
struct M0039_AddPaediatricReferralGround: AsyncMigration {
    var name: String { "M0039_AddPaediatricReferralGround" }

    func prepare(on database: any Database) async throws {
        try await database.schema("paediatric_referrals").field("ground", .string).update()
        try await database.sqlDatabase.raw("UPDATE paediatric_referrals SET ground = 'letter_3'").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("paediatric_referrals").deleteField("ground").update()
    }
}

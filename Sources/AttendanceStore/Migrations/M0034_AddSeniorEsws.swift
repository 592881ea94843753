import FluentKit

/// The Education Lead or a senior ESW allocates the schools' referrals (issue 17): the lead names an education
/// social worker as senior on the users page, for every school they are the ESW of.
struct M0034_AddSeniorEsws: AsyncMigration {
    var name: String { "M0034_AddSeniorEsws" }

    func prepare(on database: any Database) async throws {
        try await database.schema("role_grants").field("allocates_referrals", .bool).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("role_grants").deleteField("allocates_referrals").update()
    }
}

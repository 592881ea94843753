import FluentKit

/// The head teacher is the only person who decides whether an absence is authorised (the policy); a head may name
/// members of senior management or the attendance office to decide it in their stead, on the users page.
struct M0019_AddAbsenceDelegates: AsyncMigration {
    var name: String { "M0019_AddAbsenceDelegates" }

    func prepare(on database: any Database) async throws {
        try await database.schema("role_grants").field("authorises_absence", .bool).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("role_grants").deleteField("authorises_absence").update()
    }
}

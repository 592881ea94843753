import FluentKit

/// Whether a contact lives with the pupil, as the school's records say (nil: not recorded). A penalty notice goes
/// to each parent with parental responsibility who lives with the child; one recorded as not living there gets none.
struct M0026_AddContactLivesWithPupil: AsyncMigration {
    var name: String { "M0026_AddContactLivesWithPupil" }

    func prepare(on database: any Database) async throws {
        try await database.schema("contacts").field("lives_with_pupil", .bool).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("contacts").deleteField("lives_with_pupil").update()
    }
}

import FluentKit

struct M0006_CreateContacts: AsyncMigration {
    var name: String { "M0006_CreateContacts" }

    func prepare(on database: any Database) async throws {
        try await database.schema("contacts")
            .field("id", .int, .identifier(auto: true))
            .field("pupil_id", .int, .required, .references("pupils", "id"))
            .field("priority", .int, .required)
            .field("name", .string, .required)
            .field("relationship", .string, .required)
            .field("parental_responsibility", .bool, .required)
            .field("phone", .string)
            .field("mobile", .string)
            .field("email", .string)
            .field("address", .string)
            .field("language", .string, .required)
            .unique(on: "pupil_id", "priority")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("contacts").delete()
    }
}

import FluentKit

struct M0001_CreateLocalAuthorities: AsyncMigration {
    var name: String { "M0001_CreateLocalAuthorities" }

    func prepare(on database: any Database) async throws {
        try await database.schema("local_authorities")
            .field("id", .int, .identifier(auto: true))
            .field("la_number", .int, .required)
            .field("name", .string, .required)
            .unique(on: "la_number")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("local_authorities").delete()
    }
}

import FluentKit

struct M0002_CreateSchools: AsyncMigration {
    var name: String { "M0002_CreateSchools" }

    func prepare(on database: any Database) async throws {
        try await database.schema("schools")
            .field("id", .int, .identifier(auto: true))
            .field("la_number", .int, .required)
            .field("estab_number", .int, .required)
            .field("laestab", .string, .required)
            .field("name", .string, .required)
            .field("phase", .string, .required)
            .field("am_start", .string, .required)
            .field("am_close", .string, .required)
            .field("pm_start", .string, .required)
            .field("pm_close", .string, .required)
            .unique(on: "laestab")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("schools").delete()
    }
}

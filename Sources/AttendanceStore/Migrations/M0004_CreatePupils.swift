import FluentKit

struct M0004_CreatePupils: AsyncMigration {
    var name: String { "M0004_CreatePupils" }

    func prepare(on database: any Database) async throws {
        try await database.schema("pupils")
            .field("id", .int, .identifier(auto: true))
            .field("upn", .string, .required)
            .field("legal_surname", .string, .required)
            .field("legal_forename", .string, .required)
            .field("preferred_surname", .string)
            .field("preferred_forename", .string)
            .field("date_of_birth", .string, .required)
            .field("sex", .string, .required)
            .field("year_group", .string, .required)
            .field("registration_group", .string, .required)
            .field("free_school_meals", .bool, .required)
            .field("looked_after", .bool, .required)
            .field("additional_learning_needs", .bool, .required)
            .unique(on: "upn")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("pupils").delete()
    }
}

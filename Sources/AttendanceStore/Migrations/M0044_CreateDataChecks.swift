import FluentKit
import SQLKit

/// Each run of the data check (issue 34, point 10): the school, when, who, and what it found, so every report can
/// say the check's state and when it ran.
struct M0044_CreateDataChecks: AsyncMigration {
    var name: String { "M0044_CreateDataChecks" }

    func prepare(on database: any Database) async throws {
        try await database.schema("data_checks")
            .field("id", .int, .identifier(auto: true))
            .field("school_id", .int, .required, .references("schools", "id"))
            .field("checked_on", .string, .required)
            .field("checked_at", .string, .required)
            .field("by", .string, .required)
            .field("problems", .string, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("data_checks").delete()
    }
}

import FluentKit
import SQLKit

/// Groups of pupils a school makes for itself, analysed beside the policy's groups (issue 34): a name per school,
/// and its members.
struct M0043_CreateSchoolGroups: AsyncMigration {
    var name: String { "M0043_CreateSchoolGroups" }

    func prepare(on database: any Database) async throws {
        try await database.schema("school_groups")
            .field("id", .int, .identifier(auto: true))
            .field("school_id", .int, .required, .references("schools", "id"))
            .field("name", .string, .required)
            .field("created_by", .string, .required)
            .field("created_at", .string, .required)
            .unique(on: "school_id", "name")
            .create()
        try await database.schema("school_group_members")
            .field("id", .int, .identifier(auto: true))
            .field("group_id", .int, .required, .references("school_groups", "id"))
            .field("pupil_id", .int, .required, .references("pupils", "id"))
            .unique(on: "group_id", "pupil_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("school_group_members").delete()
        try await database.schema("school_groups").delete()
    }
}

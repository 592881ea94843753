import FluentKit
import SQLKit

struct M0005_CreateEnrolments: AsyncMigration {
    var name: String { "M0005_CreateEnrolments" }

    func prepare(on database: any Database) async throws {
        try await database.schema("enrolments")
            .field("id", .int, .identifier(auto: true))
            .field("pupil_id", .int, .required, .references("pupils", "id"))
            .field("school_id", .int, .required, .references("schools", "id"))
            .field("on_roll_from", .string, .required)
            .field("on_roll_to", .string)
            .field("leaving_reason", .string)
            .unique(on: "pupil_id", "school_id", "on_roll_from")
            .create()
        try await database.sqlDatabase.create(index: "enrolments_school_idx")
            .on("enrolments").column("school_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("enrolments").delete()
    }
}

import FluentKit
import SQLKit

/// The concerns the Education Lead raises with heads (issue 35, point 7): the school, what is asked and by when,
/// the figures behind it as they stood, and each step (raised, answered, closed) with who and when.
struct M0046_CreateConcerns: AsyncMigration {
    var name: String { "M0046_CreateConcerns" }

    func prepare(on database: any Database) async throws {
        try await database.schema("concerns")
            .field("id", .int, .identifier(auto: true))
            .field("school_id", .int, .required, .references("schools", "id"))
            .field("request", .string, .required)
            .field("due_by", .string, .required)
            .field("attendance_tenths", .int)
            .field("target_tenths", .int)
            .field("persistent_tenths", .int)
            .field("status", .string, .required)
            .field("raised_by", .string, .required)
            .field("raised_at", .string, .required)
            .field("raised_on", .string, .required)
            .field("answer", .string)
            .field("answered_by", .string)
            .field("answered_at", .string)
            .field("closed_by", .string)
            .field("closed_at", .string)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("concerns").delete()
    }
}

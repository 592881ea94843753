import FluentKit

/// Work a person starts that takes longer than a page should (the day's letters): its progress, kept so that
/// they can leave the page and come back, and so that work a restart cut short is said to have stopped.
struct M0020_CreateJobs: AsyncMigration {
    var name: String { "M0020_CreateJobs" }

    func prepare(on database: any Database) async throws {
        try await database.schema("jobs")
            .field("id", .int, .identifier(auto: true))
            .field("school_id", .int, .required, .references("schools", "id"))
            .field("kind", .string, .required)
            .field("status", .string, .required)
            .field("done", .int, .required)
            .field("total", .int, .required)
            .field("result", .string)
            .field("problem", .string)
            .field("started_by", .string, .required)
            .field("started_at", .string, .required)
            .field("finished_at", .string)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("jobs").delete()
    }
}

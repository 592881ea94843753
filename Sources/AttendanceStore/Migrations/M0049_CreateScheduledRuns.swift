import FluentKit

/// Work the servers do once a day (the procedure's daily run with the penalty notices' days and the data check):
/// a row when a day's work is done, so that a second server sharing the database, taking the day's lock after the
/// first has let it go, finds the day done and does nothing (issue 37).
struct M0049_CreateScheduledRuns: AsyncMigration {
    var name: String { "M0049_CreateScheduledRuns" }

    func prepare(on database: any Database) async throws {
        try await database.schema("scheduled_runs")
            .field("id", .int, .identifier(auto: true))
            .field("work", .string, .required)
            .field("day", .string, .required)
            .field("server", .string, .required)
            .field("started_at", .string, .required)
            .field("finished_at", .string, .required)
            .unique(on: "work", "day")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("scheduled_runs").delete()
    }
}

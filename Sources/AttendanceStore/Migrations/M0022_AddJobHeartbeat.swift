import FluentKit

/// When a running job last showed it was alive. Several servers may share one PostgreSQL database, so a server
/// starting up must not call another's running jobs interrupted: only a job silent for longer than
/// `Job.silenceMeansStopped` is taken as stopped.
struct M0022_AddJobHeartbeat: AsyncMigration {
    var name: String { "M0022_AddJobHeartbeat" }

    func prepare(on database: any Database) async throws {
        try await database.schema("jobs").field("alive_at", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("jobs").deleteField("alive_at").update()
    }
}

import FluentKit
import SQLKit

/// The procedure's runs (issue 33): one row per school each time the procedure records, so a server that starts
/// after a day without a run catches up, and the actions page says when it last ran.
struct M0041_CreateProcedureRuns: AsyncMigration {
    var name: String { "M0041_CreateProcedureRuns" }

    func prepare(on database: any Database) async throws {
        try await database.schema("procedure_runs")
            .field("id", .int, .identifier(auto: true))
            .field("school_id", .int, .required, .references("schools", "id"))
            .field("as_of", .string, .required)
            .field("recorded", .int, .required)
            .field("withdrawn", .int, .required)
            .field("at", .string, .required)
            .create()
        try await database.sqlDatabase.create(index: "procedure_runs_school_idx").on("procedure_runs")
            .column("school_id").column("as_of").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("procedure_runs").delete()
    }
}

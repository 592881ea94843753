import FluentKit
import SQLKit

/// A patrol entry the name-match left unmatched, matched by hand by the school it named (append-only: the entry
/// itself is never changed; one match per entry).
struct M0035_CreatePatrolMatches: AsyncMigration {
    var name: String { "M0035_CreatePatrolMatches" }

    func prepare(on database: any Database) async throws {
        try await database.schema("patrol_matches")
            .field("id", .int, .identifier(auto: true))
            .field("entry_id", .int, .required, .references("patrol_entries", "id"))
            .field("pupil_id", .int, .required, .references("pupils", "id"))
            .field("matched_by", .string, .required)
            .field("matched_at", .string, .required)
            .unique(on: "entry_id")
            .create()
        let sql = database.sqlDatabase
        try await sql.create(index: "patrol_matches_pupil_idx").on("patrol_matches").column("pupil_id").run()
        try await sql.refuseChanges(to: "patrol_matches")
    }

    func revert(on database: any Database) async throws {
        try await database.schema("patrol_matches").delete()
    }
}

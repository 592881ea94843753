import FluentKit
import SQLKit

/// The evidence pack kept with a head's request for a penalty notice: its data (JSON), and the document made
/// from it (HTML and PDF) exactly as the Education Lead received it. One per case, written in the request's
/// transaction, and append-only like the letters.
struct M0025_CreatePenaltyPacks: AsyncMigration {
    var name: String { "M0025_CreatePenaltyPacks" }

    func prepare(on database: any Database) async throws {
        try await database.schema("penalty_packs")
            .field("id", .int, .identifier(auto: true))
            .field("case_id", .int, .required, .references("penalty_cases", "id"))
            .field("made_by", .string, .required)
            .field("made_at", .string, .required)
            .field("language", .string, .required)
            .field("data", .string, .required)
            .field("html", .string, .required)
            // Base64 of the PDF's bytes, as the letters keep theirs.
            .field("pdf", .string)
            .field("sha256", .string, .required)
            .unique(on: "case_id")
            .create()
        try await database.sqlDatabase.refuseChanges(to: "penalty_packs")
    }

    func revert(on database: any Database) async throws {
        try await database.schema("penalty_packs").delete()
    }
}

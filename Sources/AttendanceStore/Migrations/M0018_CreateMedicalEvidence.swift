import FluentKit

/// Medical evidence seen for a pupil's absence (after Letter 3 the head authorises illness and appointments only
/// with it): what it was, who saw it and when, for which days.
struct M0018_CreateMedicalEvidence: AsyncMigration {
    var name: String { "M0018_CreateMedicalEvidence" }

    func prepare(on database: any Database) async throws {
        try await database.schema("medical_evidence")
            .field("id", .int, .identifier(auto: true))
            .field("pupil_id", .int, .required, .references("pupils", "id"))
            .field("school_id", .int, .required, .references("schools", "id"))
            .field("from_date", .string, .required)
            .field("to_date", .string, .required)
            .field("what", .string, .required)
            .field("seen_by", .string, .required)
            .field("seen_on", .string, .required)
            .field("recorded_by", .string, .required)
            .field("recorded_at", .string, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("medical_evidence").delete()
    }
}

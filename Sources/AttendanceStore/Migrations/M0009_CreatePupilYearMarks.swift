import FluentKit

/// One compact mark string per pupil per academic year (see `YearMarks`), written in the same transaction
/// as the mark rows. Summaries and the procedure read these instead of counting rows. The row also serves
/// as the lock that serialises concurrent writes to one pupil's register on PostgreSQL.
struct M0009_CreatePupilYearMarks: AsyncMigration {
    var name: String { "M0009_CreatePupilYearMarks" }

    func prepare(on database: any Database) async throws {
        try await database.schema("pupil_year_marks")
            .field("pupil_id", .int, .required, .references("pupils", "id"))
            .field("academic_year", .int, .required)
            .field("marks", .data, .required)
            .compositeIdentifier(over: "pupil_id", "academic_year")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("pupil_year_marks").delete()
    }
}

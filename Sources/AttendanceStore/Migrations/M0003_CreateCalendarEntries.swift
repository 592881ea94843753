import FluentKit

/// `scope` is "LA665" for the authority's term dates or a LAESTAB for a school's own days, so one unique
/// key makes calendar imports idempotent without NULLs in it.
struct M0003_CreateCalendarEntries: AsyncMigration {
    var name: String { "M0003_CreateCalendarEntries" }

    func prepare(on database: any Database) async throws {
        try await database.schema("calendar_entries")
            .field("id", .int, .identifier(auto: true))
            .field("scope", .string, .required)
            .field("kind", .string, .required)
            .field("start_date", .string, .required)
            .field("end_date", .string, .required)
            .field("name", .string, .required)
            .unique(on: "scope", "kind", "start_date", "end_date")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("calendar_entries").delete()
    }
}

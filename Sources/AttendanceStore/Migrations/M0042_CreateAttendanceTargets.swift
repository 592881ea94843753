import FluentKit
import SQLKit

/// Schools' attendance targets per school year (issue 34): proposed by the authority or set by the head, one row a
/// school and year, every change in the audit trail.
struct M0042_CreateAttendanceTargets: AsyncMigration {
    var name: String { "M0042_CreateAttendanceTargets" }

    func prepare(on database: any Database) async throws {
        try await database.schema("attendance_targets")
            .field("id", .int, .identifier(auto: true))
            .field("school_id", .int, .required, .references("schools", "id"))
            .field("academic_year", .int, .required)
            .field("tenths", .int, .required)
            .field("state", .string, .required)
            .field("by", .string, .required)
            .field("at", .string, .required)
            .unique(on: "school_id", "academic_year")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("attendance_targets").delete()
    }
}

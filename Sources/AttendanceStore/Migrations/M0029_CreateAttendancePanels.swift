import FluentKit
import SQLKit

/// Attendance panels on ESW cases: when and where, who sits on it, whether the parents came (recorded once), and
/// the outcome (recorded once). A second invitation is a panel row of its own.
struct M0029_CreateAttendancePanels: AsyncMigration {
    var name: String { "M0029_CreateAttendancePanels" }

    func prepare(on database: any Database) async throws {
        try await database.schema("attendance_panels")
            .field("id", .int, .identifier(auto: true))
            .field("case_id", .int, .required, .references("esw_cases", "id"))
            .field("round", .int, .required)
            .field("on_day", .string, .required)
            .field("at_time", .string, .required)
            .field("place", .string, .required)
            .field("members", .string, .required)
            .field("scheduled_by", .string, .required)
            .field("scheduled_at", .string, .required)
            .field("attendance", .string)
            .field("attendance_by", .string)
            .field("outcome", .string)
            .field("outcome_by", .string)
            .create()
        try await database.sqlDatabase.create(index: "attendance_panels_case_idx").on("attendance_panels")
            .column("case_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("attendance_panels").delete()
    }
}

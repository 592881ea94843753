import FluentKit
import SQLKit

/// The lesson registers' working records (issue 38): the cover the office names for a lesson on a day, each school's
/// grace for taking a register after its lesson, and what the office or a head of year found when they looked for
/// a pupil the same-day check named (append-only: a later finding is a new row).
struct M0054_CreateLessonCoverAndChecks: AsyncMigration {
    var name: String { "M0054_CreateLessonCoverAndChecks" }

    func prepare(on database: any Database) async throws {
        try await database.schema("lesson_covers")
            .field("id", .int, .identifier(auto: true))
            .field("school_id", .int, .required, .references("schools", "id"))
            .field("date", .string, .required)
            .field("class_name", .string, .required)
            .field("period", .int, .required)
            .field("teacher", .string, .required)
            .field("assigned_by", .string, .required)
            .field("assigned_at", .string, .required)
            .unique(on: "school_id", "date", "class_name", "period")
            .create()
        try await database.schema("lesson_settings")
            .field("school_id", .int, .required, .references("schools", "id"))
            .field("grace_minutes", .int, .required)
            .field("changed_by", .string, .required)
            .field("changed_at", .string, .required)
            .unique(on: "school_id")
            .create()
        try await database.schema("same_day_checks")
            .field("id", .int, .identifier(auto: true))
            .field("school_id", .int, .required, .references("schools", "id"))
            .field("pupil_id", .int, .required, .references("pupils", "id"))
            .field("date", .string, .required)
            .field("outcome", .string, .required)
            .field("note", .string)
            .field("recorded_by", .string, .required)
            .field("recorded_at", .string, .required)
            .create()
        let sql = database.sqlDatabase
        try await sql.create(index: "same_day_checks_day_idx").on("same_day_checks").column("school_id")
            .column("date").run()
        try await sql.create(index: "lesson_covers_teacher_idx").on("lesson_covers").column("teacher")
            .column("date").run()
        try await sql.refuseChangesOutsideRetention(to: "same_day_checks")
    }

    func revert(on database: any Database) async throws {
        for table in ["same_day_checks", "lesson_settings", "lesson_covers"] {
            try await database.schema(table).delete()
        }
    }
}

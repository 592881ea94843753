import FluentKit
import SQLKit

/// Lesson registers (issue 38), beside the statutory registers and never writing them: a register for each lesson
/// taken on a day, holding its lesson as the timetable gave it then (a timetable replaced later leaves it as it
/// was), each pupil's lesson mark, and the changes made to those marks (append-only).
struct M0053_CreateLessonRegisters: AsyncMigration {
    var name: String { "M0053_CreateLessonRegisters" }

    func prepare(on database: any Database) async throws {
        try await database.schema("lesson_registers")
            .field("id", .int, .identifier(auto: true))
            .field("school_id", .int, .required, .references("schools", "id"))
            .field("date", .string, .required)
            .field("class_name", .string, .required)
            .field("period", .int, .required)
            .field("subject", .string, .required)
            .field("start_time", .string, .required)
            .field("end_time", .string, .required)
            .field("teacher", .string, .required)
            .field("taken_by", .string, .required)
            .field("taken_at", .string, .required)
            .unique(on: "school_id", "date", "class_name", "period")
            .create()
        try await database.schema("lesson_marks")
            .field("id", .int, .identifier(auto: true))
            .field("lesson_register_id", .int, .required, .references("lesson_registers", "id"))
            .field("pupil_id", .int, .required, .references("pupils", "id"))
            .field("code", .string, .required)
            .field("minutes_late", .int)
            .field("recorded_by", .string, .required)
            .field("recorded_at", .string, .required)
            .unique(on: "lesson_register_id", "pupil_id")
            .create()
        try await database.schema("lesson_mark_amendments")
            .field("id", .int, .identifier(auto: true))
            .field("lesson_mark_id", .int, .required, .references("lesson_marks", "id"))
            .field("old_code", .string, .required)
            .field("old_minutes_late", .int)
            .field("old_recorded_by", .string, .required)
            .field("old_recorded_at", .string, .required)
            .field("new_code", .string, .required)
            .field("new_minutes_late", .int)
            .field("changed_by", .string, .required)
            .field("changed_at", .string, .required)
            .field("reason", .string, .required)
            .create()
        let sql = database.sqlDatabase
        try await sql.create(index: "lesson_registers_day_idx").on("lesson_registers").column("school_id")
            .column("date").run()
        try await sql.create(index: "lesson_marks_pupil_idx").on("lesson_marks").column("pupil_id").run()
        try await sql.refuseChangesOutsideRetention(to: "lesson_mark_amendments")
    }

    func revert(on database: any Database) async throws {
        for table in ["lesson_mark_amendments", "lesson_marks", "lesson_registers"] {
            try await database.schema(table).delete()
        }
    }
}

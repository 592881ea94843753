import FluentKit
import SQLKit

/// A school's timetables (issue 38): each from its first day, with its lessons on the days of a one- or two-week
/// cycle and the pupils of each class. A timetable imported again for the same first day replaces that one only.
struct M0052_CreateTimetables: AsyncMigration {
    var name: String { "M0052_CreateTimetables" }

    func prepare(on database: any Database) async throws {
        try await database.schema("timetables")
            .field("id", .int, .identifier(auto: true))
            .field("school_id", .int, .required, .references("schools", "id"))
            .field("starts_on", .string, .required)
            .field("weeks", .int, .required)
            .field("imported_by", .string, .required)
            .field("imported_at", .string, .required)
            .unique(on: "school_id", "starts_on")
            .create()
        try await database.schema("timetable_lessons")
            .field("id", .int, .identifier(auto: true))
            .field("timetable_id", .int, .required, .references("timetables", "id"))
            .field("class_name", .string, .required)
            .field("subject", .string, .required)
            .field("cycle_day", .int, .required)
            .field("period", .int, .required)
            .field("start_time", .string, .required)
            .field("end_time", .string, .required)
            .field("teacher", .string, .required)
            .field("room", .string)
            .unique(on: "timetable_id", "class_name", "cycle_day", "period")
            .create()
        try await database.schema("class_members")
            .field("id", .int, .identifier(auto: true))
            .field("timetable_id", .int, .required, .references("timetables", "id"))
            .field("class_name", .string, .required)
            .field("pupil_id", .int, .required, .references("pupils", "id"))
            .unique(on: "timetable_id", "class_name", "pupil_id")
            .create()
        let sql = database.sqlDatabase
        try await sql.create(index: "timetable_lessons_teacher_idx").on("timetable_lessons").column("teacher").run()
        try await sql.create(index: "class_members_pupil_idx").on("class_members").column("pupil_id").run()
    }

    func revert(on database: any Database) async throws {
        for table in ["class_members", "timetable_lessons", "timetables"] { try await database.schema(table).delete() }
    }
}

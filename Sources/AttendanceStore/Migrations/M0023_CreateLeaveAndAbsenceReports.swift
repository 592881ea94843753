import FluentKit
import SQLKit

/// Parents' side: requests for leave in term time with the head's decision, and absences reported by a parent
/// with the code the head or their delegate confirmed. Rows are never deleted; a decision or a confirmation is
/// written once, and each is in the audit trail.
struct M0023_CreateLeaveAndAbsenceReports: AsyncMigration {
    var name: String { "M0023_CreateLeaveAndAbsenceReports" }

    func prepare(on database: any Database) async throws {
        try await database.schema("leave_requests")
            .field("id", .int, .identifier(auto: true))
            .field("pupil_id", .int, .required, .references("pupils", "id"))
            .field("school_id", .int, .required, .references("schools", "id"))
            .field("academic_year", .int, .required)
            .field("date_from", .string, .required)
            .field("date_to", .string, .required)
            .field("reason", .string, .required)
            .field("exceptional_category", .string)
            .field("details", .string, .required)
            .field("siblings", .string, .required)
            .field("requested_by", .string, .required)
            .field("requested_at", .string, .required)
            .field("status", .string, .required)
            .field("decision", .string)
            .field("agreed_from", .string)
            .field("agreed_to", .string)
            .field("decision_reason", .string)
            .field("decision_category", .string)
            .field("decided_by", .string)
            .field("decided_at", .string)
            .create()
        try await database.sqlDatabase.create(index: "leave_requests_pupil_idx")
            .on("leave_requests").column("pupil_id").column("academic_year").run()
        try await database.sqlDatabase.create(index: "leave_requests_school_idx")
            .on("leave_requests").column("school_id").column("status").run()
        try await database.schema("absence_reports")
            .field("id", .int, .identifier(auto: true))
            .field("pupil_id", .int, .required, .references("pupils", "id"))
            .field("school_id", .int, .required, .references("schools", "id"))
            .field("date_from", .string, .required)
            .field("date_to", .string, .required)
            .field("part", .string, .required)
            .field("reason", .string, .required)
            .field("note", .string, .required)
            .field("proposed_code", .string)
            .field("reported_by", .string, .required)
            .field("reported_at", .string, .required)
            .field("confirmed_by", .string)
            .field("confirmed_code", .string)
            .field("confirmed_at", .string)
            .create()
        try await database.sqlDatabase.create(index: "absence_reports_school_idx")
            .on("absence_reports").column("school_id").column("date_from").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("absence_reports").delete()
        try await database.schema("leave_requests").delete()
    }
}

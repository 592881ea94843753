import FluentKit
import SQLKit

/// A school's interventions (issue 35): the intervention itself (kind, name, lead, days, staff notes), its
/// pupils, the sessions it held and who came to each, and a school's own workshop programme.
struct M0047_CreateInterventions: AsyncMigration {
    var name: String { "M0047_CreateInterventions" }

    func prepare(on database: any Database) async throws {
        try await database.schema("interventions")
            .field("id", .int, .identifier(auto: true))
            .field("school_id", .int, .required, .references("schools", "id"))
            .field("kind", .string, .required)
            .field("title", .string, .required)
            .field("leader", .string, .required)
            .field("start_on", .string, .required)
            .field("end_on", .string)
            .field("notes", .string, .required)
            .field("created_by", .string, .required)
            .field("created_at", .string, .required)
            .create()
        try await database.sqlDatabase.create(index: "interventions_school_idx")
            .on("interventions").column("school_id").run()
        try await database.schema("intervention_pupils")
            .field("intervention_id", .int, .required, .references("interventions", "id"))
            .field("pupil_id", .int, .required, .references("pupils", "id"))
            .unique(on: "intervention_id", "pupil_id")
            .create()
        try await database.sqlDatabase.create(index: "intervention_pupils_pupil_idx")
            .on("intervention_pupils").column("pupil_id").run()
        try await database.schema("intervention_sessions")
            .field("id", .int, .identifier(auto: true))
            .field("intervention_id", .int, .required, .references("interventions", "id"))
            .field("held_on", .string, .required)
            .field("topic", .string, .required)
            .field("recorded_by", .string, .required)
            .field("recorded_at", .string, .required)
            .unique(on: "intervention_id", "held_on", "topic")
            .create()
        try await database.schema("intervention_attendance")
            .field("session_id", .int, .required, .references("intervention_sessions", "id"))
            .field("pupil_id", .int, .required, .references("pupils", "id"))
            .unique(on: "session_id", "pupil_id")
            .create()
        // One sanction a pupil a day: a second click, or a second person at the same moment, records nothing more.
        try await database.schema("sanction_days")
            .field("pupil_id", .int, .required, .references("pupils", "id"))
            .field("held_on", .string, .required)
            .field("intervention_id", .int, .required, .references("interventions", "id"))
            .unique(on: "pupil_id", "held_on")
            .create()
        try await database.schema("workshop_programmes")
            .field("school_id", .int, .required, .references("schools", "id"))
            .field("week", .int, .required)
            .field("topic", .string, .required)
            .unique(on: "school_id", "week")
            .create()
    }

    func revert(on database: any Database) async throws {
        for table in [
            "workshop_programmes", "sanction_days", "intervention_attendance", "intervention_sessions",
            "intervention_pupils",
            "interventions",
        ] {
            try await database.schema(table).delete()
        }
    }
}

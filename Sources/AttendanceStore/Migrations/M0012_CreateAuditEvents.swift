import FluentKit
import SQLKit

/// The audit trail. Append-only: no code path updates or deletes it, and the database refuses to as well
/// (triggers on this table and on the register's history).
struct M0012_CreateAuditEvents: AsyncMigration {
    var name: String { "M0012_CreateAuditEvents" }

    func prepare(on database: any Database) async throws {
        try await database.schema("audit_events")
            .field("id", .int, .identifier(auto: true))
            .field("at", .string, .required)
            .field("actor", .string, .required)
            .field("ip", .string)
            .field("action", .string, .required)
            .field("school_laestab", .string)
            .field("upn", .string)
            .field("subject", .string)
            .field("before", .string)
            .field("after", .string)
            .field("reason", .string)
            .create()
        let sql = database.sqlDatabase
        for column in ["at", "upn", "actor", "school_laestab"] {
            try await sql.create(index: "audit_events_\(column)_idx").on("audit_events").column(column).run()
        }
        for table in ["audit_events", "mark_amendments"] { try await sql.refuseChanges(to: table) }
    }

    func revert(on database: any Database) async throws {
        try await database.schema("audit_events").delete()
    }
}

extension SQLDatabase {
    /// Makes the database itself refuse every UPDATE and DELETE on a table: for records kept as evidence. (For the
    /// migrations before M0051 only: a table made since uses `refuseChangesOutsideRetention(to:)`.)
    func refuseChanges(to table: String) async throws {
        if dialect.name == "postgresql" {
            try await raw(
                """
                CREATE OR REPLACE FUNCTION refuse_change() RETURNS trigger AS $$
                BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END; $$ LANGUAGE plpgsql
                """
            ).run()
            try await raw(
                "CREATE TRIGGER \(unsafeRaw: table)_append_only BEFORE UPDATE OR DELETE ON \(unsafeRaw: table) FOR EACH ROW EXECUTE FUNCTION refuse_change()"
            ).run()
        } else {
            for event in ["UPDATE", "DELETE"] {
                try await raw(
                    "CREATE TRIGGER \(unsafeRaw: table)_no_\(unsafeRaw: event.lowercased()) BEFORE \(unsafeRaw: event) ON \(unsafeRaw: table) BEGIN SELECT RAISE(ABORT, '\(unsafeRaw: table) is append-only'); END"
                ).run()
            }
        }
    }
}

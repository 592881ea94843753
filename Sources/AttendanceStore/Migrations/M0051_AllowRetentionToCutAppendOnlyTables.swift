import FluentKit
import SQLKit

/// The one exception to the append-only tables (issue 37): rows the retention schedule has made due are removed by
/// a retention run, which is itself recorded. A run writes its `retention_runs` row unfinished, removes, and marks
/// it finished, all in one transaction; the tables' triggers let a DELETE through only while an unfinished run is
/// visible, which is only ever inside that transaction (every committed run is finished). Updates stay refused.
struct M0051_AllowRetentionToCutAppendOnlyTables: AsyncMigration {
    var name: String { "M0051_AllowRetentionToCutAppendOnlyTables" }

    /// Every table made append-only by `refuseChanges(to:)` in the migrations before this one.
    static let appendOnly = [
        "audit_events", "mark_amendments", "letters", "penalty_events", "penalty_packs", "esw_events",
        "plan_reviews", "cme_enquiries", "roll_deletions", "patrol_entries", "school_visits", "reintegration_plans",
        "patrol_matches", "legal_steps",
    ]

    func prepare(on database: any Database) async throws {
        try await database.schema("retention_runs")
            .field("id", .int, .identifier(auto: true))
            .field("as_of", .string, .required)
            .field("run_by", .string, .required)
            .field("schedule", .string, .required)
            .field("started_at", .string, .required)
            .field("finished_at", .string)
            .field("removed", .string)
            .create()
        try await refuseDeletes(on: database.sqlDatabase, exceptInARetentionRun: true)
    }

    func revert(on database: any Database) async throws {
        try await refuseDeletes(on: database.sqlDatabase, exceptInARetentionRun: false)
        try await database.schema("retention_runs").delete()
    }

    /// The append-only tables' refusal of a DELETE, with or without the exception for a retention run's transaction
    /// (an UPDATE is refused either way: on PostgreSQL one function serves every table, on SQLite a trigger each).
    private func refuseDeletes(on sql: any SQLDatabase, exceptInARetentionRun: Bool) async throws {
        let open: SQLQueryString = "EXISTS (SELECT 1 FROM retention_runs WHERE finished_at IS NULL)"
        if sql.dialect.name == "postgresql" {
            let exception: SQLQueryString =
                exceptInARetentionRun ? "IF TG_OP = 'DELETE' AND \(open) THEN RETURN OLD; END IF;" : ""
            try await sql.raw(
                """
                CREATE OR REPLACE FUNCTION refuse_change() RETURNS trigger AS $$
                BEGIN \(exception) RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END; $$ LANGUAGE plpgsql
                """
            ).run()
            return
        }
        for table in Self.appendOnly {
            let when: SQLQueryString = exceptInARetentionRun ? "WHEN NOT \(open)" : ""
            try await sql.raw("DROP TRIGGER IF EXISTS \(unsafeRaw: table)_no_delete").run()
            try await sql.raw(
                """
                CREATE TRIGGER \(unsafeRaw: table)_no_delete BEFORE DELETE ON \(unsafeRaw: table) \(when)
                BEGIN SELECT RAISE(ABORT, '\(unsafeRaw: table) is append-only'); END
                """
            ).run()
        }
    }
}

extension SQLDatabase {
    /// Makes a table made after M0051 append-only as the others are since: every UPDATE refused, a DELETE only inside
    /// a retention run (PostgreSQL's `refuse_change()` is M0051's; `refuseChanges(to:)` would put back the old one).
    func refuseChangesOutsideRetention(to table: String) async throws {
        if dialect.name == "postgresql" {
            try await raw(
                "CREATE TRIGGER \(unsafeRaw: table)_append_only BEFORE UPDATE OR DELETE ON \(unsafeRaw: table) FOR EACH ROW EXECUTE FUNCTION refuse_change()"
            ).run()
            return
        }
        try await raw(
            """
            CREATE TRIGGER \(unsafeRaw: table)_no_update BEFORE UPDATE ON \(unsafeRaw: table)
            BEGIN SELECT RAISE(ABORT, '\(unsafeRaw: table) is append-only'); END
            """
        ).run()
        try await raw(
            """
            CREATE TRIGGER \(unsafeRaw: table)_no_delete BEFORE DELETE ON \(unsafeRaw: table)
            WHEN NOT EXISTS (SELECT 1 FROM retention_runs WHERE finished_at IS NULL)
            BEGIN SELECT RAISE(ABORT, '\(unsafeRaw: table) is append-only'); END
            """
        ).run()
    }
}

import FluentKit
import SQLKit

/// Common Transfer Files (issue 36): each file brought in, the admissions it prepared for the office to confirm with
/// a date and form group, and the pupils' years at other schools it carried, kept by UPN beside the pupil and never
/// counted in a school's figures; and the files made when a pupil left, kept until the office marks them sent.
struct M0048_CreateTransfers: AsyncMigration {
    var name: String { "M0048_CreateTransfers" }

    func prepare(on database: any Database) async throws {
        try await database.schema("ctf_imports")
            .field("id", .int, .identifier(auto: true))
            .field("school_id", .int, .required, .references("schools", "id"))
            .field("file_name", .string, .required)
            .field("source_laestab", .string, .required)
            .field("source_name", .string, .required)
            .field("made_at", .string, .required)
            .field("pupils", .int, .required)
            .field("unread", .string, .required)
            .field("imported_by", .string, .required)
            .field("imported_at", .string, .required)
            .create()
        try await database.sqlDatabase.create(index: "ctf_imports_school_idx").on("ctf_imports").column("school_id")
            .run()
        try await database.schema("ctf_admissions")
            .field("id", .int, .identifier(auto: true))
            .field("import_id", .int, .required, .references("ctf_imports", "id"))
            .field("school_id", .int, .required, .references("schools", "id"))
            .field("pupil_id", .int, .required, .references("pupils", "id"))
            .field("status", .string, .required)
            .field("admitted_on", .string)
            .field("registration_group", .string)
            .field("decided_by", .string)
            .field("decided_at", .string)
            .create()
        // One admission waiting for a pupil at a school: a file imported twice prepares it once.
        try await database.sqlDatabase.raw(
            """
            CREATE UNIQUE INDEX ctf_admissions_prepared_idx ON ctf_admissions (school_id, pupil_id)
            WHERE status = 'prepared'
            """
        ).run()
        try await database.schema("other_school_years")
            .field("upn", .string, .required)
            .field("la", .int, .required)
            .field("estab", .int, .required)
            .field("school_name", .string, .required)
            .field("year", .int, .required)
            .field("possible", .int, .required)
            .field("attended", .int, .required)
            .field("authorised", .int, .required)
            .field("unauthorised", .int, .required)
            .field("marks_from", .string)
            .field("marks", .string)
            .field("import_id", .int, .required, .references("ctf_imports", "id"))
            .unique(on: "upn", "la", "estab", "year")
            .create()
        try await database.schema("ctf_files")
            .field("id", .int, .identifier(auto: true))
            .field("school_id", .int, .required, .references("schools", "id"))
            .field("pupil_id", .int, .required, .references("pupils", "id"))
            .field("destination", .string)
            .field("file_name", .string, .required)
            .field("xml", .string, .required)
            .field("made_by", .string, .required)
            .field("made_at", .string, .required)
            .field("sent_by", .string)
            .field("sent_at", .string)
            .create()
        try await database.sqlDatabase.create(index: "ctf_files_school_idx").on("ctf_files").column("school_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("ctf_files").delete()
        try await database.schema("other_school_years").delete()
        try await database.schema("ctf_admissions").delete()
        try await database.schema("ctf_imports").delete()
    }
}

import FluentKit
import SQLKit

/// Who took each register is read from the marks and their amendments by school and day (the registers list, the
/// printed register): the amendments had only a per-pupil index, so that read scanned the whole legal history.
struct M0021_IndexAmendmentsBySchoolDay: AsyncMigration {
    var name: String { "M0021_IndexAmendmentsBySchoolDay" }

    func prepare(on database: any Database) async throws {
        try await database.sqlDatabase.create(index: "mark_amendments_school_day_idx")
            .on("mark_amendments").column("school_id").column("date").run()
    }

    func revert(on database: any Database) async throws {
        try await database.sqlDatabase.drop(index: "mark_amendments_school_day_idx").run()
    }
}

import AttendanceCore
import FluentKit
import Foundation
import SQLKit

/// The register's record becomes one row per pupil per school year instead of one row per mark: the codes are
/// the compact year string already kept (`pupil_year_marks`), who recorded each mark is a number per session in a
/// second string (`pupil_year_recordings`) naming a row of `register_recordings` (school, who, when: one per
/// register saved), and minutes late and notes stand in `mark_details` only where a mark has them. The legal
/// history (`mark_amendments`) is unchanged. Existing mark rows are carried over and the `marks` table dropped.
struct M0038_MakeTheYearTheRecord: AsyncMigration {
    var name: String { "M0038_MakeTheYearTheRecord" }

    func prepare(on database: any Database) async throws {
        try await database.schema("register_recordings")
            .field("id", .int, .identifier(auto: true))
            .field("school_id", .int, .required, .references("schools", "id"))
            .field("recorded_by", .string, .required)
            .field("recorded_at", .string, .required)
            .create()
        try await database.schema("pupil_year_recordings")
            .field("pupil_id", .int, .required, .references("pupils", "id"))
            .field("academic_year", .int, .required)
            .field("recordings", .data, .required)
            .compositeIdentifier(over: "pupil_id", "academic_year")
            .create()
        try await database.schema("mark_details")
            .field("pupil_id", .int, .required, .references("pupils", "id"))
            .field("school_id", .int, .required, .references("schools", "id"))
            .field("date", .string, .required)
            .field("session", .string, .required)
            .field("minutes_late", .int)
            .field("note", .string)
            .unique(on: "pupil_id", "date", "session")
            .create()
        let sql = database.sqlDatabase
        // The late arrivals of a school's day are read by school and date.
        try await sql.create(index: "mark_details_school_date_idx")
            .on("mark_details").column("school_id").column("date").run()
        try await carryOverMarks(on: sql)
        try await database.schema("marks").delete()
    }

    /// Every mark row's recorder becomes a `register_recordings` row (one per school, person and moment), its
    /// minutes late and note a `mark_details` row, and its recorder's number goes in its session's place in the
    /// pupil's year of recordings. The codes are in `pupil_year_marks` already (written with every mark).
    private func carryOverMarks(on sql: any SQLDatabase) async throws {
        try await sql.raw(
            """
            INSERT INTO register_recordings (school_id, recorded_by, recorded_at)
            SELECT DISTINCT school_id, recorded_by, recorded_at FROM marks ORDER BY recorded_at, school_id, recorded_by
            """
        ).run()
        try await sql.raw(
            """
            INSERT INTO mark_details (pupil_id, school_id, date, session, minutes_late, note)
            SELECT pupil_id, school_id, date, session, minutes_late, note FROM marks
            WHERE minutes_late IS NOT NULL OR note IS NOT NULL
            """
        ).run()
        var recorders: [Recorder: UInt32] = [:]
        for row in try await sql.raw("SELECT id, school_id, recorded_by, recorded_at FROM register_recordings").all() {
            recorders[
                Recorder(
                    schoolID: try row.decode(column: "school_id", as: Int.self),
                    by: try row.decode(column: "recorded_by", as: String.self),
                    at: try row.decode(column: "recorded_at", as: String.self))] = UInt32(
                    try row.decode(column: "id", as: Int.self))
        }
        // A few thousand pupils at a time, so an authority's years of marks are never all in memory at once.
        let last =
            try await sql.raw("SELECT max(pupil_id) AS last FROM marks").first()?.decode(column: "last", as: Int?.self)
            ?? 0
        var from = 0
        while from <= last {
            let to = from + 2_000
            var years: [YearKey: YearRecordings] = [:]
            for row in try await sql.raw(
                """
                SELECT pupil_id, school_id, date, session, recorded_by, recorded_at FROM marks
                WHERE pupil_id >= \(bind: from) AND pupil_id < \(bind: to)
                """
            ).all() {
                guard let date = LocalDate(iso: try row.decode(column: "date", as: String.self)),
                    let half = SessionHalf(text: try row.decode(column: "session", as: String.self))
                else { continue }
                let session = SchoolSession(date, half)
                let key = YearKey(
                    pupilID: try row.decode(column: "pupil_id", as: Int.self), year: date.academicYear.startYear)
                let recorder = Recorder(
                    schoolID: try row.decode(column: "school_id", as: Int.self),
                    by: try row.decode(column: "recorded_by", as: String.self),
                    at: try row.decode(column: "recorded_at", as: String.self))
                guard let number = recorders[recorder] else {
                    throw StoreError.corrupt("a mark whose recorder was not numbered")
                }
                years[key, default: YearRecordings(academicYear: date.academicYear)][session.slotInAcademicYear] =
                    number
            }
            try await sql.insertRows(
                into: "pupil_year_recordings", columns: ["pupil_id", "academic_year", "recordings"],
                rows: years.sorted { $0.key.pupilID < $1.key.pupilID }.map {
                    [$0.key.pupilID, $0.key.year, $0.value.data]
                })
            from = to
        }
    }

    func revert(on database: any Database) async throws {
        // The mark rows are gone; going back would need them rebuilt from the year strings, which nothing needs.
        throw MigrationRefused(name)
    }
}

struct MigrationRefused: Error, CustomStringConvertible {
    let name: String
    init(_ name: String) { self.name = name }
    var description: String { "\(name) cannot be reverted" }
}

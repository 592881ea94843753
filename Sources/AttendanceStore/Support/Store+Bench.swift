import AttendanceCore
import Foundation
import SQLKit

/// What the benchmark reads that no page does (`store.bench`).
public struct BenchReads: Sendable {
    let store: Store
}

extension Store {
    public var bench: BenchReads { BenchReads(store: self) }
}

extension BenchReads {
    /// SQLite's `synchronous` setting (2 = FULL: every commit is on disk before it is acknowledged), or nil on
    /// PostgreSQL, whose default `synchronous_commit = on` is durable.
    public func sqliteSynchronous() async throws -> Int? {
        guard !store.location.isPostgres else { return nil }
        return try await store.sql.raw("PRAGMA synchronous").first()?.decode(column: "synchronous", as: Int.self)
    }

    /// After a bulk load on PostgreSQL, what autovacuum and the checkpointer would do within minutes of it:
    /// statistics for the planner, the loaded rows' visibility set, the dirty pages written. Without it the saves
    /// measured next race them (two runs of the same code gave 525 and 289 saves a second). Nothing on SQLite.
    public func settleAfterLoad() async throws {
        guard store.location.isPostgres else { return }
        try await store.sql.raw("VACUUM (ANALYZE)").run()
        try await store.sql.raw("CHECKPOINT").run()
    }

    /// Pupils' compact marks for a year, by database id, the first `limit` after `pupilID`: what the benchmark's
    /// comparison reads, a page at a time (an authority's 470,000 rows read at once took some 600 MB).
    public func yearMarkStrings(year: AcademicYear, after pupilID: Int, limit: Int) async throws -> [(
        pupilID: Int, marks: [UInt8]
    )] {
        try await store.sql.select().columns("pupil_id", "marks").from("pupil_year_marks")
            .where("academic_year", .equal, year.startYear).where("pupil_id", .greaterThan, pupilID)
            .orderBy("pupil_id").limit(limit).all().map { row in
                (
                    try row.decode(column: "pupil_id", as: Int.self),
                    Array(try row.decode(column: "marks", as: Data.self))
                )
            }
    }
}

extension Store {
    /// Database ids of pupils by UPN (for bulk loads that already know the pupils exist).
    func pupilIDs(_ upns: some Collection<UPN>) async throws -> [UPN: Int] {
        try await ReferenceRepository.pupilIDs(for: upns, on: sql)
    }
}

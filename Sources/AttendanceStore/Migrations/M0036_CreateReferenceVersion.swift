import FluentKit
import SQLKit

/// One number that changes whenever the schools or the calendar do: the server keeps both in memory and reads
/// this (at most once a second) to know when another process has changed them.
struct M0036_CreateReferenceVersion: AsyncMigration {
    var name: String { "M0036_CreateReferenceVersion" }

    func prepare(on database: any Database) async throws {
        try await database.schema("reference_version")
            .field("id", .int, .identifier(auto: false))
            .field("version", .int, .required)
            .create()
        let sql = database.sqlDatabase
        try await sql.insert(into: "reference_version").columns("id", "version").values(1, 0).run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("reference_version").delete()
    }
}

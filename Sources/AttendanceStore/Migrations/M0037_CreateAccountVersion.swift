import FluentKit
import SQLKit

/// One number that changes whenever a user, a role or an API token does: the server keeps signed-in users in
/// memory and reads this on every request (never trusting an older reading) to know whether what it holds is
/// still true, in this process or another.
struct M0037_CreateAccountVersion: AsyncMigration {
    var name: String { "M0037_CreateAccountVersion" }

    func prepare(on database: any Database) async throws {
        try await database.schema("account_version")
            .field("id", .int, .identifier(auto: false))
            .field("version", .int, .required)
            .create()
        let sql = database.sqlDatabase
        try await sql.insert(into: "account_version").columns("id", "version").values(1, 0).run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("account_version").delete()
    }
}

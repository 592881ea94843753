import ArgumentParser
import AttendanceStore

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Create or update the database schema.")

    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        let applied = try await db.withStore { try await $0.appliedMigrations() }
        print("\(db.location): \(applied.count) migrations applied (latest \(applied.last ?? "none"))")
    }
}

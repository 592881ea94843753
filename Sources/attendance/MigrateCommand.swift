import ArgumentParser
import AttendanceStore

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Create or update the database schema.")

    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        let settings = try Settings(db)
        let applied = try await settings.withStore { try await $0.appliedMigrations() }
        print("\(settings.database): \(applied.count) migrations applied (latest \(applied.last ?? "none"))")
    }
}

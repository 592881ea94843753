import ArgumentParser
import AttendanceCore
import AttendanceStore
import Foundation

/// `attendance backup --out FILE`: the whole database as it stood at one moment, encrypted with
/// `ATTENDANCE_BACKUP_KEY`, while the server goes on; `--new-key` makes a key for the settings.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the whole database, encrypted, into a new file (the server may go on running).",
        discussion: """
            SQLite is copied with VACUUM INTO, PostgreSQL with pg_dump; either way the copy is sealed with \
            ATTENDANCE_BACKUP_KEY (AES-GCM) and only the sealed file is kept. docs/operations.md gives a schedule.
            """)

    @Option(help: ArgumentHelp("The new backup file (an existing file is never overwritten).", valueName: "file"))
    var out: String?
    @Flag(name: .customLong("new-key"), help: "Print a new random key for ATTENDANCE_BACKUP_KEY, and nothing else.")
    var newKey = false
    @OptionGroup var db: DatabaseOptions

    func validate() throws {
        guard newKey || out != nil else { throw ValidationError("--out: give the new backup file's path") }
    }

    func run() async throws {
        if newKey {
            print(BackupKey.make())
            return
        }
        let settings = try Settings(db)
        guard let out, let key = settings.backupKey else {
            printError("ATTENDANCE_BACKUP_KEY is not set: make a key with `attendance backup --new-key` and keep it")
            throw ExitCode.failure
        }
        do {
            let summary = try await settings.withStore { store in
                let summary = try await store.operations.backup(to: out, key: key)
                try await store.auditTrail.record(
                    AuditEvent(
                        actor: settings.actor, action: "backup.made", subject: "backup",
                        after: auditJSON(["kind": summary.kind.rawValue, "bytes": String(summary.bytes)])))
                return summary
            }
            print(
                "\(summary.kind.rawValue) backup of \(settings.database) written to \(out): \(summary.bytes) bytes, encrypted"
            )
        } catch let error as BackupError {
            printError("backup: \(error)")
            throw ExitCode.failure
        }
    }
}

/// `attendance restore FILE`: a backup into an empty database, which is then migrated to this program's schema.
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract:
            "Restore a backup into an empty database (a new SQLite file, or a PostgreSQL database without tables).")

    @Argument(help: ArgumentHelp("The backup file.", valueName: "file")) var file: String
    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        let settings = try Settings(db)
        guard let key = settings.backupKey else {
            printError("ATTENDANCE_BACKUP_KEY is not set: a backup opens only with the key it was made with")
            throw ExitCode.failure
        }
        do {
            let applied = try await settings.withStore(
                beforeMigrating: { store in try await store.operations.restore(from: file, key: key) }
            ) { store in
                try await store.auditTrail.record(
                    AuditEvent(actor: settings.actor, action: "backup.restored", subject: "backup"))
                return try await store.appliedMigrations()
            }
            print(
                "Restored \(file) into \(settings.database): \(applied.count) migrations applied (latest \(applied.last ?? "none"))"
            )
        } catch let error as BackupError {
            printError("restore: \(error)")
            throw ExitCode.failure
        }
    }
}

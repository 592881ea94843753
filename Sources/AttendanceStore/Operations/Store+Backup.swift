import Foundation
import SQLKit

/// What a backup or a restore did.
public struct BackupSummary: Sendable {
    public let kind: BackupKind
    /// The encrypted file's size.
    public let bytes: Int
}

extension OperationsRepository {
    /// Writes the whole database, as it stood at one moment, encrypted into a new file at `path`, while the server
    /// goes on saving: SQLite's `VACUUM INTO` (a read transaction on a read connection, so writers are not held
    /// up) or `pg_dump` (one snapshot of its own) into a working copy beside the output, then sealed and removed.
    @discardableResult
    public func backup(to path: String, key: BackupKey) async throws -> BackupSummary {
        let plain = workingCopy(beside: path)
        defer { try? FileManager.default.removeItem(atPath: plain) }
        let kind: BackupKind
        switch store.location {
        case .sqliteMemory:
            throw BackupError.inMemory
        case .sqliteFile:
            kind = .sqlite
            try await store.reader.raw("VACUUM INTO \(bind: plain)").run()
        case .postgres(let url, let searchPath):
            kind = .postgres
            var arguments = ["--format=custom", "--no-owner", "--no-privileges", "--file=\(plain)"]
            if let searchPath { arguments.append("--schema=\(searchPath)") }
            try await PostgresTool.run("pg_dump", arguments, url: url)
        }
        try BackupFile.seal(plain, kind: kind, into: path, key: key)
        return BackupSummary(kind: kind, bytes: fileSize(path) ?? 0)
    }

    /// Restores the backup at `path` into this store's database, which must be empty (a SQLite file not yet made,
    /// or a PostgreSQL database or schema without tables), before the store has opened it. The store is then
    /// migrated by the caller, which brings an older backup up to this program's schema.
    @discardableResult
    public func restore(from path: String, key: BackupKey) async throws -> BackupSummary {
        let kind = try BackupFile.kind(of: path)
        let plain = workingCopy(beside: path)
        defer { try? FileManager.default.removeItem(atPath: plain) }
        switch store.location {
        case .sqliteMemory:
            throw BackupError.inMemory
        case .sqliteFile(let target):
            guard kind == .sqlite else { throw BackupError.otherKind(kind) }
            guard (fileSize(target) ?? 0) == 0 else { throw BackupError.targetNotEmpty(target) }
            try? FileManager.default.removeItem(atPath: target)
            try BackupFile.open(path, into: plain, key: key)
            try FileManager.default.moveItem(atPath: plain, toPath: target)
        case .postgres(let url, _):
            guard kind == .postgres else { throw BackupError.otherKind(kind) }
            let tables = try await store.sql.raw(
                "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = current_schema()"
            ).first()?.decode(column: "n", as: Int.self)
            guard (tables ?? 0) == 0 else { throw BackupError.targetNotEmpty("the database") }
            try BackupFile.open(path, into: plain, key: key)
            try await PostgresTool.run(
                "pg_restore",
                [
                    "--no-owner", "--no-privileges", "--exit-on-error", "--dbname=\(PostgresTool.databaseName(url))",
                    plain,
                ],
                url: url)
        }
        return BackupSummary(kind: kind, bytes: fileSize(path) ?? 0)
    }

    private func fileSize(_ path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int
    }

    /// The unencrypted working copy's name: beside the file (the same disk, so no copy of the data lands in a
    /// shared temporary folder), hidden, and unique.
    private func workingCopy(beside path: String) -> String {
        let url = URL(fileURLWithPath: path)
        return url.deletingLastPathComponent().appendingPathComponent(
            ".\(url.lastPathComponent).\(UUID().uuidString).part"
        )
        .path
    }
}

/// pg_dump and pg_restore, told where the database is through libpq's environment (so the password is never on a
/// command line another user could read).
enum PostgresTool {
    /// The database's name in a postgres:// URL (pg_restore names its target; the rest comes from libpq's
    /// environment).
    static func databaseName(_ url: String) -> String {
        String((URLComponents(string: url)?.path ?? "").dropFirst())
    }

    static func run(_ tool: String, _ arguments: [String], url: String) async throws {
        guard let components = URLComponents(string: url), let host = components.host else {
            throw StoreError.badDatabaseURL("not a PostgreSQL URL")
        }
        var environment = ProcessInfo.processInfo.environment
        environment["PGHOST"] = host
        environment["PGPORT"] = components.port.map(String.init) ?? "5432"
        environment["PGUSER"] = components.user ?? environment["USER"] ?? "postgres"
        environment["PGPASSWORD"] = components.password ?? ""
        environment["PGDATABASE"] = databaseName(url)
        if let mode = components.queryItems?.first(where: { $0.name == "sslmode" })?.value {
            environment["PGSSLMODE"] = mode
        }
        let finished: ChildProcess.Finished
        do {
            finished = try await ChildProcess.capture([tool] + arguments, environment: environment)
        } catch {
            throw BackupError.tool(tool, "it could not be started (is it installed?)")
        }
        guard finished.status == 0 else {
            let text = String(decoding: finished.errors, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw BackupError.tool(
                tool, text.isEmpty ? "status \(finished.status)" : String(text.prefix(500)))
        }
    }
}

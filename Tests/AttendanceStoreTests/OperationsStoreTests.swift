import AttendanceCore
import AttendanceInterop
import Foundation
import Logging
import SQLKit
import Testing

@testable import AttendanceStore

/// Issue 37: readiness, work done once by servers sharing a database, and backups restored whole.
@Suite struct OperationsStoreTests {
    @Test(arguments: TestDatabase.available)
    func readinessNamesMigrationsStillToRun(database: TestDatabase) async throws {
        try await database.withStore(migrated: false) { store in
            try await store.migrate(Array(AllMigrations.list.prefix(40)))
            #expect(await store.operations.readiness() == .migrationsPending(AllMigrations.list.count - 40))
            try await store.migrate()
            #expect(await store.operations.readiness() == .ready)
        }
    }

    @Test func aDatabaseThatDoesNotAnswerIsNotReady() async throws {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        // Nothing listens on port 1: the connection is refused.
        let store = try Store(
            location: .postgres(url: "postgres://nobody:none@127.0.0.1:1/none?sslmode=disable", searchPath: nil),
            logger: logger)
        let started = Date()
        #expect(await store.operations.readiness(within: .seconds(3)) == .unreachable)
        #expect(Date().timeIntervalSince(started) < 10)
        await store.shutdown()
    }

    /// Two servers over one PostgreSQL database (two stores: two pools, as two processes) both reach the day's
    /// work at once: one does it, the other is turned away, and it is never done twice.
    @Test func theDaysWorkIsDoneOnceByTwoServers() async throws {
        guard TestDatabase.available.contains(.postgres) else { return }
        try await withTwoStores(.postgres) { first, second in
            let runs = Counter()
            let outcomes = try await withThrowingTaskGroup(of: SharedWorkOutcome.self) { group in
                for (store, name) in [(first, "one"), (second, "two")] {
                    group.addTask {
                        try await store.operations.onceADay(.dailyRun, day: day("2025-10-06"), server: name) {
                            await runs.add()
                            try await Task.sleep(for: .milliseconds(300))
                        }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(await runs.value == 1)
            #expect(outcomes.filter { $0 == .ran }.count == 1)
            #expect(outcomes.filter { $0 == .busy }.count == 1)
            // Later, on either server, the day is done; the next day is not.
            #expect(
                try await second.operations.onceADay(.dailyRun, day: day("2025-10-06"), server: "two") {}
                    == .alreadyDone)
            #expect(try await second.operations.onceADay(.dailyRun, day: day("2025-10-07"), server: "two") {} == .ran)
            #expect(
                try await first.operations.sharedWorkDone(.dailyRun).map(\.day) == [
                    day("2025-10-07"), day("2025-10-06"),
                ])
        }
    }

    /// A lock held by one server turns the other away at once, and is free again once the work ends, even when it
    /// failed.
    @Test func aLockHeldOnPostgreSQLTurnsTheOtherServerAway() async throws {
        guard TestDatabase.available.contains(.postgres) else { return }
        try await withTwoStores(.postgres) { first, second in
            let holding = Task {
                try await first.operations.exclusively(.sendingMessages) {
                    try await Task.sleep(for: .milliseconds(800))
                    return 1
                }
            }
            try await Task.sleep(for: .milliseconds(200))
            #expect(try await second.operations.exclusively(.sendingMessages) { 2 } == nil)
            // Another work's lock is its own.
            #expect(try await second.operations.exclusively(.dailyRun) { 3 } == 3)
            #expect(try await holding.value == 1)
            struct Failed: Error {}
            await #expect(throws: Failed.self) {
                try await first.operations.exclusively(.sendingMessages) { () throws -> Int in throw Failed() }
            }
            #expect(try await second.operations.exclusively(.sendingMessages) { 4 } == 4)
        }
    }

    /// The backup command runs beside the server, which goes on saving: the copy is the record at one moment
    /// (every audit line in it is in the record, and it opens whole), and once the saving stops a backup restored
    /// into a new file holds every row of every table as the record does.
    @Test func aSQLiteBackupTakenWhileSavingRestoresWhole() async throws {
        try await withSQLiteFile(stores: 2) { stores in
            let (server, command) = (stores[0], stores[1])
            let key = try #require(BackupKey(base64: BackupKey.make()))
            let folder = try scratchFolder()
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let days = (0..<45).map { day("2025-09-02").adding(days: $0) }.filter { !$0.isWeekend }
            let saving = Task {
                for (index, date) in days.enumerated() {
                    let code = index % 3 == 0 ? "N" : "/"
                    let csv = marksCSV([
                        "\(alys),\(date.iso),AM,\(code),", "\(alys),\(date.iso),PM,\\,", "\(bryn),\(date.iso),AM,/,",
                    ])
                    try await server.registers.importMarks(
                        try ImportParser.marks(csv, codes: server.codes), school: nil, source: "load.csv",
                        authorisesAt: [LAESTAB(la: 665, estab: 4001)])
                }
            }
            try await Task.sleep(for: .milliseconds(40))
            try await command.operations.backup(to: folder + "/during.backup", key: key)
            try await saving.value
            try await withRestored(folder + "/during.backup", key: key, into: folder + "/during.sqlite") { copy in
                #expect(await copy.operations.readiness() == .ready)
                let copied = try await tableRows(copy, "audit_events")
                let record = Set(try await tableRows(server, "audit_events"))
                #expect(copied.allSatisfy(record.contains))
            }
            try await command.operations.backup(to: folder + "/after.backup", key: key)
            try await withRestored(folder + "/after.backup", key: key, into: folder + "/after.sqlite") { copy in
                let tables = try await tableNames(server)
                #expect(try await tableNames(copy) == tables)
                #expect(tables.contains("pupil_year_marks") && tables.contains("audit_events"))
                for table in tables {
                    #expect(try await tableRows(copy, table) == (try await tableRows(server, table)), "\(table)")
                }
                #expect(try await tableRows(copy, "pupil_year_marks").count == 2)
            }
        }
    }

    @Test func aBackupOpensOnlyWithItsKeyWholeAndIntoAnEmptyDatabase() async throws {
        try await withSQLiteFile { stores in
            let key = try #require(BackupKey(base64: BackupKey.make()))
            let folder = try scratchFolder()
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let backup = folder + "/a.backup"
            try await stores[0].operations.backup(to: backup, key: key)
            // The file is sealed: no table's name can be read in it.
            let bytes = try Data(contentsOf: URL(fileURLWithPath: backup))
            #expect(bytes.range(of: Data("pupil_year_marks".utf8)) == nil)
            #expect(bytes.range(of: Data("SQLite format".utf8)) == nil)
            // Never overwritten.
            await #expect(throws: BackupError.self) { try await stores[0].operations.backup(to: backup, key: key) }
            let other = try #require(BackupKey(base64: BackupKey.make()))
            await #expect(throws: BackupError.cannotOpen) {
                try await withRestored(backup, key: other, into: folder + "/wrong.sqlite") { _ in }
            }
            let cut = folder + "/cut.backup"
            try bytes.prefix(bytes.count - 7).write(to: URL(fileURLWithPath: cut))
            await #expect(throws: BackupError.cannotOpen) {
                try await withRestored(cut, key: key, into: folder + "/cut.sqlite") { _ in }
            }
            var changed = bytes
            changed[bytes.count / 2] ^= 0x01
            let flipped = folder + "/flipped.backup"
            try changed.write(to: URL(fileURLWithPath: flipped))
            await #expect(throws: BackupError.cannotOpen) {
                try await withRestored(flipped, key: key, into: folder + "/flipped.sqlite") { _ in }
            }
            try Data("not a backup".utf8).write(to: URL(fileURLWithPath: folder + "/plain.txt"))
            await #expect(throws: BackupError.notABackup) {
                try await withRestored(folder + "/plain.txt", key: key, into: folder + "/plain.sqlite") { _ in }
            }
            try await withRestored(backup, key: key, into: folder + "/good.sqlite") { _ in }
            await #expect(throws: BackupError.targetNotEmpty(folder + "/good.sqlite")) {
                try await withRestored(backup, key: key, into: folder + "/good.sqlite") { _ in }
            }
        }
    }

    /// A PostgreSQL tool that fails says what it said; one that is not there says so. (Neither needs a database:
    /// pg_restore gives up on a file that is not there before it connects.)
    @Test func aToolThatFailsSaysWhyInItsOwnWords() async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/pg_restore") else { return }
        let url = "postgres://nobody@127.0.0.1:1/none"
        let missing = "/nonexistent/attendance-\(UUID().uuidString).dump"
        do {
            try await PostgresTool.run("pg_restore", ["--dbname=none", missing], url: url)
            Issue.record("pg_restore of a missing file succeeded")
        } catch BackupError.tool(let tool, let message) {
            #expect(tool == "pg_restore" && message.contains(missing), "\(message)")
        }
        await #expect(throws: BackupError.tool("attendance-no-such-tool", "it could not be started (is it installed?)"))
        {
            try await PostgresTool.run("attendance-no-such-tool", [], url: url)
        }
    }

    /// pg_dump's copy of a schema, restored into a new database, holds every row of every table.
    @Test func aPostgreSQLBackupRestoresWholeIntoANewDatabase() async throws {
        guard TestDatabase.available.contains(.postgres),
            let url = ProcessInfo.processInfo.environment["TEST_POSTGRES_URL"]
        else { return }
        try await TestDatabase.postgres.withStore { store in
            try await loadFixture(store)
            try await store.registers.importMarks(
                try ImportParser.marks(
                    marksCSV(["\(alys),2025-10-06,AM,N,", "\(alys),2025-10-06,PM,\\,", "\(bryn),2025-10-06,AM,/,"]),
                    codes: store.codes),
                school: nil, source: "m.csv", authorisesAt: [LAESTAB(la: 665, estab: 4001)])
            let key = try #require(BackupKey(base64: BackupKey.make()))
            let folder = try scratchFolder()
            defer { try? FileManager.default.removeItem(atPath: folder) }
            try await store.operations.backup(to: folder + "/pg.backup", key: key)
            guard case .postgres(_, let schema) = store.location else { return }
            let name = "restore_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            var components = try #require(URLComponents(string: url))
            components.path = "/" + name
            let target = try #require(components.string)
            var logger = Logger(label: "test")
            logger.logLevel = .warning
            let admin = try Store(location: .postgres(url: url, searchPath: nil), logger: logger)
            try await admin.sql.raw("CREATE DATABASE \(ident: name)").run()
            do {
                let copy = try Store(location: .postgres(url: target, searchPath: schema), logger: logger)
                do {
                    try await copy.operations.restore(from: folder + "/pg.backup", key: key)
                    try await copy.migrate()
                    let tables = try await tableNames(store)
                    #expect(try await tableNames(copy) == tables)
                    for table in tables {
                        #expect(try await tableRows(copy, table) == (try await tableRows(store, table)), "\(table)")
                    }
                    // Restored once: a second restore finds tables and refuses.
                    await #expect(throws: BackupError.targetNotEmpty("the database")) {
                        try await copy.operations.restore(from: folder + "/pg.backup", key: key)
                    }
                } catch {
                    await copy.shutdown()
                    throw error
                }
                await copy.shutdown()
            } catch {
                try? await admin.sql.raw("DROP DATABASE \(ident: name) WITH (FORCE)").run()
                await admin.shutdown()
                throw error
            }
            try await admin.sql.raw("DROP DATABASE \(ident: name) WITH (FORCE)").run()
            await admin.shutdown()
        }
    }
}

private actor Counter {
    var value = 0
    func add() { value += 1 }
}

/// Two stores over one PostgreSQL schema, as two servers (two processes, two pools).
private func withTwoStores(_ database: TestDatabase, _ body: (Store, Store) async throws -> Void) async throws {
    try await database.withStore { first in
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        let second = try Store(location: first.location, logger: logger)
        do {
            try await body(first, second)
        } catch {
            await second.shutdown()
            throw error
        }
        await second.shutdown()
    }
}

private func scratchFolder() throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("backup-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// The backup restored into a new SQLite file, migrated, for the body to read.
private func withRestored(_ backup: String, key: BackupKey, into path: String, _ body: (Store) async throws -> Void)
    async throws
{
    var logger = Logger(label: "test")
    logger.logLevel = .warning
    let store = try Store(location: .sqliteFile(path), logger: logger)
    do {
        try await store.operations.restore(from: backup, key: key)
        try await store.migrate()
        try await body(store)
    } catch {
        await store.shutdown()
        throw error
    }
    await store.shutdown()
}

private func tableNames(_ store: Store) async throws -> [String] {
    let query: SQLQueryString =
        store.location.isPostgres
        ? "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1"
        : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY 1"
    return try await store.sql.raw(query).all(decodingColumn: "name", as: String.self)
}

/// Every row of a table as text, in the order of its columns, sorted: two databases hold the same rows when
/// these are equal.
private func tableRows(_ store: Store, _ table: String) async throws -> [String] {
    try await store.sql.raw("SELECT * FROM \(ident: table)").all().map { row in
        row.allColumns.sorted().map { column in
            if let text = try? row.decode(column: column, as: String?.self) { return "\(column)=\(text ?? "∅")" }
            if let number = try? row.decode(column: column, as: Int?.self) { return "\(column)=\(number ?? 0)" }
            if let real = try? row.decode(column: column, as: Double?.self) { return "\(column)=\(real ?? 0)" }
            if let flag = try? row.decode(column: column, as: Bool?.self) { return "\(column)=\(flag ?? false)" }
            if let bytes = try? row.decode(column: column, as: Data?.self) { return "\(column)=\(bytes ?? Data())" }
            return "\(column)=?"
        }.joined(separator: "|")
    }.sorted()
}

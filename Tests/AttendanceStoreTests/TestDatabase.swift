import AttendanceCore
import AttendanceInterop
import Foundation
import Logging
import SQLKit
import Testing

@testable import AttendanceStore

/// The databases every store test runs on: SQLite in memory always, PostgreSQL when TEST_POSTGRES_URL is set.
enum TestDatabase: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite
    case postgres

    static var available: [TestDatabase] {
        ProcessInfo.processInfo.environment["TEST_POSTGRES_URL"] == nil ? [.sqlite] : [.sqlite, .postgres]
    }

    var testDescription: String { rawValue }

    /// Opens a fresh, migrated store (a schema of its own on PostgreSQL), runs the body, and always cleans up.
    /// A new empty database, migrated (unless `migrated` is false: a test of a migration runs its own).
    func withStore(migrated: Bool = true, _ body: (Store) async throws -> Void) async throws {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        switch self {
        case .sqlite:
            let store = try Store(location: .sqliteMemory, logger: logger)
            try await run(store, migrated: migrated, body)
        case .postgres:
            let url = ProcessInfo.processInfo.environment["TEST_POSTGRES_URL"]!
            let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            let admin = try Store(location: .postgres(url: url, searchPath: nil), logger: logger)
            try await admin.sql.raw("CREATE SCHEMA \(ident: schema)").run()
            let store = try Store(location: .postgres(url: url, searchPath: schema), logger: logger)
            do {
                try await run(store, migrated: migrated, body)
            } catch {
                try? await admin.sql.raw("DROP SCHEMA \(ident: schema) CASCADE").run()
                await admin.shutdown()
                throw error
            }
            try await admin.sql.raw("DROP SCHEMA \(ident: schema) CASCADE").run()
            await admin.shutdown()
        }
    }

    private func run(_ store: Store, migrated: Bool, _ body: (Store) async throws -> Void) async throws {
        do {
            if migrated { try await store.migrate() }
            try await body(store)
        } catch {
            await store.shutdown()
            throw error
        }
        await store.shutdown()
    }
}

func day(_ text: String) -> LocalDate { LocalDate(iso: text)! }

let schoolCSV = """
    la,estab,name,phase,am_start,am_close,pm_start,pm_close
    665,4001,Ysgol Prawf,secondary,08:50,09:20,13:30,13:45
    665,2001,Ysgol Arall,primary,08:55,09:25,13:15,13:30
    """

let calendarCSV = """
    kind,start,end,name
    term,2025-09-01,2025-12-19,Autumn
    holiday,2025-10-27,2025-10-31,Half term
    term,2026-01-05,2026-03-27,Spring
    """

let insetCSV = """
    kind,start,end,name
    inset,2025-09-01,2025-09-01,INSET
    """

let alys = UPN.make(la: 665, estab: 4001, year: 25, serial: 1)
let bryn = UPN.make(la: 665, estab: 4001, year: 25, serial: 2)
let cai = UPN.make(la: 665, estab: 4001, year: 25, serial: 3)

let pupilsCSV = """
    upn,surname,forename,dob,sex,year_group,registration_group,fsm,lac,on_roll_from,on_roll_to
    \(alys),Jones,Alys,2014-03-02,F,7,7A,N,N,2025-09-01,
    \(bryn),Evans,Bryn,2013-11-20,M,7,7A,Y,N,2025-09-01,2025-11-14
    \(cai),Ŵyn,Cai,2014-01-09,M,7,7B,N,Y,2025-10-06,
    """

/// Two schools, the authority's calendar with one school's INSET day, and three pupils at 6654001.
func loadFixture(_ store: Store) async throws {
    try await store.reference.saveLocalAuthority(laNumber: 665, name: "Wrexham")
    try await store.reference.importSchools(try ImportParser.schools(schoolCSV))
    try await store.reference.importCalendar(try ImportParser.calendar(calendarCSV), scope: .authority(la: 665))
    try await store.reference.importCalendar(
        try ImportParser.calendar(insetCSV), scope: .school(LAESTAB(la: 665, estab: 4001)))
    try await store.reference.importPupils(try ImportParser.pupils(pupilsCSV), school: LAESTAB(la: 665, estab: 4001))
}

func marksCSV(_ lines: [String]) -> String {
    (["upn,date,session,code,minutes_late"] + lines).joined(separator: "\n")
}

/// Stores on one new SQLite file, as separate processes open it (the server and the command line), migrated and
/// loaded with the fixture; the file is removed afterwards.
func withSQLiteFile(stores count: Int = 1, _ body: ([Store]) async throws -> Void) async throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("file-\(UUID().uuidString).sqlite").path
    defer {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
    var logger = Logger(label: "test")
    logger.logLevel = .warning
    let stores = try (0..<count).map { _ in try Store(location: .sqliteFile(path), logger: logger) }
    do {
        try await stores[0].migrate()
        try await loadFixture(stores[0])
        try await body(stores)
    } catch {
        for store in stores { await store.shutdown() }
        throw error
    }
    for store in stores { await store.shutdown() }
}

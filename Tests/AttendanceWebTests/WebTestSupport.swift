import AttendanceCore
import AttendanceInterop
import AttendanceStore
import Logging
import Testing
import VaporTesting

@testable import AttendanceWeb

let testToday = LocalDate(iso: "2026-11-25")!

/// An application over a fresh in-memory store holding a small demo authority, shut down even on failure.
func withWebApp(demoMode: Bool = true, _ test: (Application, Store) async throws -> Void) async throws {
    var logger = Logger(label: "test")
    logger.logLevel = .warning
    let store = try Store(location: .sqliteMemory, logger: logger)
    do {
        try await store.migrate()
        try await store.loadDemo(
            DemoAuthority(options: .init(schools: 2, pupilsPerSchool: 60, until: testToday, seed: 5)))
        try await withApp(configure: { app in
            try await WebServer.configure(
                app, store: store, configuration: WebConfiguration(demoMode: demoMode, today: testToday))
        }) { app in
            try await test(app, store)
        }
    } catch {
        await store.shutdown()
        throw error
    }
    await store.shutdown()
}

import AttendanceCore
import Foundation
import Logging
import SQLKit
import Testing
import VaporTesting

@testable import AttendanceStore
@testable import AttendanceWeb

/// Issue 37 at the web edge: `/ready`, the client behind a proxy, and two servers sharing the day's run.
@Suite struct OperationsWebTests {
    @Test(arguments: WebTestDatabase.available)
    func readyWhenTheDatabaseAnswers(database: WebTestDatabase) async throws {
        try await withWebApp(on: database) { app, _ in
            let ready = try await app.testing().sendRequest(.GET, "/ready")
            #expect(ready.status == .ok)
            #expect(ready.body.string.contains("\"status\":\"ready\""))
            #expect(ready.headers.first(name: .cacheControl) == "no-store")
        }
    }

    /// A server whose database is down starts, says it is alive, and says it is not ready, so a load balancer sends
    /// its users elsewhere.
    @Test func notReadyWhenTheDatabaseDoesNotAnswer() async throws {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let store = try Store(
            location: .postgres(url: "postgres://nobody:none@127.0.0.1:1/none?sslmode=disable", searchPath: nil),
            logger: logger)
        do {
            try await withApp(configure: { app in
                app.logger.logLevel = .critical
                try await WebServer.configure(app, store: store, configuration: .forTests())
            }) { app in
                #expect(try await app.testing().sendRequest(.GET, "/health").status == .ok)
                let ready = try await app.testing().sendRequest(.GET, "/ready")
                #expect(ready.status == .serviceUnavailable)
                #expect(ready.body.string.contains("database_unreachable"))
            }
        } catch {
            await store.shutdown()
            throw error
        }
        await store.shutdown()
    }

    @Test func notReadyUntilEveryMigrationHasRun() async throws {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let store = try Store(location: .sqliteMemory, logger: logger)
        do {
            try await store.migrate(Array(AllMigrations.list.dropLast()))
            try await withApp(configure: { app in
                app.logger.logLevel = .critical
                try await WebServer.configure(app, store: store, configuration: .forTests())
            }) { app in
                let ready = try await app.testing().sendRequest(.GET, "/ready")
                #expect(ready.status == .serviceUnavailable)
                #expect(ready.body.string.contains("\"migrationsPending\":1"))
            }
        } catch {
            await store.shutdown()
            throw error
        }
        await store.shutdown()
    }

    /// Behind a trusted proxy the sign-in throttle limits each client the proxy names, and the audit trail names
    /// it; from anyone else `X-Forwarded-For` is ignored, so a client cannot name itself afresh for each guess.
    @Test func forwardedForIsBelievedOnlyFromATrustedProxy() async throws {
        try await withWebApp(adjusting: { $0.trustedProxies = ["127.0.0.1"] }) { app, store in
            var guesser = Browser(app)
            guesser.port = 0
            guesser.headers.replaceOrAdd(name: .xForwardedFor, value: "198.51.100.7")
            for index in 0..<20 { try await guesser.signIn("nobody\(index)@demo.example", "wrong") }
            #expect(try await guesser.signIn("head@demo.example", "demo-head").status == .tooManyRequests)
            var colleague = Browser(app)
            colleague.port = 0
            // A proxy in front of the proxy: the nearest address that is not a trusted proxy is the client's.
            colleague.headers.replaceOrAdd(name: .xForwardedFor, value: "198.51.100.7, 198.51.100.8")
            // (A running server is reached through a client that follows the redirect: the audit line says it.)
            #expect(try await colleague.signIn("head@demo.example", "demo-head").status != .tooManyRequests)
            let signedIn = try await store.sql.raw("SELECT ip FROM audit_events WHERE action = 'sign_in'")
                .all(decodingColumn: "ip", as: String?.self)
            #expect(signedIn == ["198.51.100.8"])
            let addresses = try await store.sql.raw("SELECT ip FROM audit_events WHERE action = 'sign_in_failed'")
                .all(decodingColumn: "ip", as: String?.self)
            #expect(addresses.count == 20)
            #expect(addresses.allSatisfy { $0 == "198.51.100.7" })
        }
        try await withWebApp { app, _ in
            var guesser = Browser(app)
            guesser.port = 0
            guesser.headers.replaceOrAdd(name: .xForwardedFor, value: "198.51.100.7")
            for index in 0..<20 { try await guesser.signIn("nobody\(index)@demo.example", "wrong") }
            var other = Browser(app)
            other.port = 0
            other.headers.replaceOrAdd(name: .xForwardedFor, value: "198.51.100.9")
            #expect(try await other.signIn("head@demo.example", "demo-head").status == .tooManyRequests)
        }
    }

    /// A request answered busy because every connection stayed taken is counted, for an alert on the pool.
    @Test func aPoolThatStayedFullIsCounted() async throws {
        try await withWebApp { app, store in
            let before = await app.context.metrics.exposition(store: store)
            #expect(before.contains("attendance_database_pool_exhausted_total 0"))
            app.context.metrics.poolExhausted()
            let text = await app.context.metrics.exposition(store: store)
            #expect(text.contains("attendance_database_pool_exhausted_total 1"))
        }
    }

    /// After a walk through pages about pupils, `/metrics` names routes by their patterns and holds no UPN, name,
    /// email or address; it answers only the monitoring system's addresses.
    @Test func metricsHoldNoPersonalDataAndAnswerOnlyTheMonitoringAddress() async throws {
        try await withWebApp { app, store in
            var head = try await Browser.signedIn(app, as: .headTeacher)
            let pupils = try await onRollToday(store)
            for pupil in pupils.prefix(5) {
                #expect(try await head.get("/pupils/\(pupil.upn.value)").status == .ok)
                try await head.get("/audit?upn=\(pupil.upn.value)")
                try await head.get("/pupils/\(pupil.upn.value)/no-such-page")
            }
            try await head.get("/registers?date=\(testToday.iso)")
            try await head.post("/sign-in", ["email": "someone@example.org", "password": "guess"])
            var monitor = Browser(app)
            monitor.port = 0
            let metrics = try await monitor.get("/metrics")
            #expect(metrics.status == .ok)
            let text = metrics.body.string
            #expect(text.contains("attendance_http_requests_total"))
            #expect(text.contains("route=\"/pupils/:upn\""))
            #expect(text.contains("route=\"unmatched\""))
            #expect(text.contains("attendance_database_ready 1"))
            #expect(text.contains("attendance_database_pool_connections \(store.connectionLimit)"))
            #expect(text.contains("attendance_http_request_duration_seconds_bucket"))
            for pupil in pupils {
                #expect(!text.contains(pupil.upn.value))
                #expect(!text.contains(pupil.legalSurname) && !text.contains(pupil.legalForename))
            }
            #expect(!text.contains("@"))
            #expect(text.range(of: #"[A-Z][0-9]{12}"#, options: .regularExpression) == nil)
            #expect(!text.contains("127.0.0.1"))
            // Through a trusted proxy for someone else: not found.
            monitor.headers.replaceOrAdd(name: .xForwardedFor, value: "198.51.100.7")
            #expect(try await monitor.get("/metrics").status == .ok)  // no proxy is trusted here: the peer is asked
        }
        try await withWebApp(adjusting: { $0.trustedProxies = ["127.0.0.1"] }) { app, _ in
            var outsider = Browser(app)
            outsider.port = 0
            outsider.headers.replaceOrAdd(name: .xForwardedFor, value: "198.51.100.7")
            let answer = try await outsider.get("/metrics")
            #expect(answer.status == .notFound)
        }
    }

    @Test func theClientIsReadFromTheEndOfTheList() {
        let trusted: Set = ["10.0.0.1", "10.0.0.2"]
        #expect(ClientAddress.resolve(peer: "10.0.0.1", forwardedFor: ["1.2.3.4"], trusted: trusted) == "1.2.3.4")
        #expect(
            ClientAddress.resolve(peer: "10.0.0.1", forwardedFor: ["9.9.9.9, 1.2.3.4, 10.0.0.2"], trusted: trusted)
                == "1.2.3.4")
        #expect(ClientAddress.resolve(peer: "5.6.7.8", forwardedFor: ["1.2.3.4"], trusted: trusted) == "5.6.7.8")
        #expect(ClientAddress.resolve(peer: "10.0.0.1", forwardedFor: [], trusted: trusted) == "10.0.0.1")
        #expect(
            ClientAddress.resolve(peer: "10.0.0.1", forwardedFor: ["<script>"], trusted: trusted) == "10.0.0.1")
        #expect(
            ClientAddress.resolve(peer: "10.0.0.1", forwardedFor: ["2001:db8::7"], trusted: trusted) == "2001:db8::7")
        #expect(ClientAddress.resolve(peer: nil, forwardedFor: ["1.2.3.4"], trusted: trusted) == nil)
    }

    /// Two servers sharing one PostgreSQL database reach the day's run at the same moment: the procedure's actions,
    /// their audit lines, the run's record and the data check are each written once.
    @Test func theDaysRunOnTwoServersAtOnceRecordsEachActionOnce() async throws {
        guard WebTestDatabase.available.contains(.postgres) else { return }
        try await withWebApp(on: .postgres) { app, store in
            var logger = Logger(label: "test")
            logger.logLevel = .critical
            let second = try Store(location: store.location, logger: logger)
            do {
                let policy = app.context.policy
                let quiet = logger
                let metrics = [ServerMetrics(), ServerMetrics()]
                let outcomes = try await withThrowingTaskGroup(of: SharedWorkOutcome.self) { group in
                    for (index, (server, name)) in [(store, "one"), (second, "two")].enumerated() {
                        group.addTask {
                            try await ProcedureSchedule.runDay(
                                store: server, policy: policy, day: testToday, server: name, logger: quiet,
                                metrics: metrics[index])
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(outcomes.sorted { "\($0)" < "\($1)" } == [.busy, .ran])
                // The server that ran it reports the run's time and what it recorded; the other, nothing.
                let reports = await [metrics[0].exposition(store: store), metrics[1].exposition(store: store)]
                #expect(reports.filter { $0.contains("attendance_procedure_run_seconds_count 1") }.count == 1)
                #expect(reports.filter { $0.contains("attendance_procedure_actions_recorded_total") }.count == 1)
                // A minute later the other server finds the day done.
                #expect(
                    try await ProcedureSchedule.runDay(
                        store: second, policy: policy, day: testToday, server: "two", logger: logger) == .alreadyDone)
                let actions = try await count(store, "SELECT count(*) AS n FROM procedure_actions")
                #expect(actions > 0)
                #expect(
                    try await count(store, "SELECT count(*) AS n FROM audit_events WHERE action = 'procedure.recorded'")
                        == actions)
                let schools = try await store.reference.schools().count
                #expect(
                    try await count(store, "SELECT count(*) AS n FROM procedure_runs WHERE as_of = '\(testToday.iso)'")
                        == schools)
                #expect(try await count(store, "SELECT count(*) AS n FROM data_checks") == schools)
            } catch {
                await second.shutdown()
                throw error
            }
            await second.shutdown()
        }
    }

    private func count(_ store: Store, _ query: String) async throws -> Int {
        try await store.sql.raw(SQLQueryString(query)).first()?.decode(column: "n", as: Int.self) ?? -1
    }
}

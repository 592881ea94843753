import AttendanceAccounts
import AttendanceCore
import AttendanceInterop
import AttendanceLetters
import Foundation
import Logging
import SQLKit
import Testing
import VaporTesting

@testable import AttendanceStore
@testable import AttendanceWeb

let testToday = LocalDate(iso: "2026-11-25")!

/// Pupils on the main school's roll today, in the roll's order.
func onRollToday(_ store: Store) async throws -> [Pupil] {
    let year = DateRange(testToday.academicYear.firstDay, testToday)!
    return try await store.reference.roll(of: try await store.reference.requireSchool(mainSchool).id, in: year).filter {
        $0.onRoll.end == testToday
    }.map(\.pupil)
}
let mainSchool = LAESTAB(la: 665, estab: 4001)
let allocatedSchool = LAESTAB(la: 665, estab: 2002)
let otherSchool = LAESTAB(la: 665, estab: 2003)

/// bcrypt at its lowest cost: the tests check what is done with passwords, not bcrypt's work factor.
let testPasswords = Passwords(cost: 4)

extension WebConfiguration {
    /// The tests' configuration: today fixed, cheap password hashing, WeasyPrint where it is installed.
    static func forTests(demoMode: Bool = true) -> WebConfiguration {
        var configuration = WebConfiguration(demoMode: demoMode, today: testToday)
        configuration.passwords = testPasswords
        configuration.pdf = PDFMaker.locate(environment: ProcessInfo.processInfo.environment)
        return configuration
    }
}

/// The databases a web test may run on: SQLite in memory always, PostgreSQL (a schema of the test's own) when
/// TEST_POSTGRES_URL is set.
enum WebTestDatabase: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    static var available: [WebTestDatabase] {
        ProcessInfo.processInfo.environment["TEST_POSTGRES_URL"] == nil ? [.sqlite] : [.sqlite, .postgres]
    }

    var testDescription: String { rawValue }
}

/// An application over a fresh in-memory store holding a small three-school demo authority and its demo
/// accounts, shut down even on failure.
func withWebApp(
    demoMode: Bool = true, on database: WebTestDatabase = .sqlite,
    adjusting adjust: @escaping @Sendable (inout WebConfiguration) -> Void = { _ in },
    _ test: (Application, Store) async throws -> Void
) async throws {
    var logger = Logger(label: "test")
    logger.logLevel = .critical
    guard database == .postgres, let url = ProcessInfo.processInfo.environment["TEST_POSTGRES_URL"] else {
        try await withWebApp(
            demoMode: demoMode, store: try Store(location: .sqliteMemory, logger: logger), adjust: adjust, test)
        return
    }
    let schema = "w_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    let admin = try Store(location: .postgres(url: url, searchPath: nil), logger: logger)
    try await admin.sql.raw("CREATE SCHEMA \(ident: schema)").run()
    do {
        try await withWebApp(
            demoMode: demoMode, store: try Store(location: .postgres(url: url, searchPath: schema), logger: logger),
            adjust: adjust, test)
    } catch {
        try? await admin.sql.raw("DROP SCHEMA \(ident: schema) CASCADE").run()
        await admin.shutdown()
        throw error
    }
    try await admin.sql.raw("DROP SCHEMA \(ident: schema) CASCADE").run()
    await admin.shutdown()
}

private func withWebApp(
    demoMode: Bool, store: Store, adjust: @escaping @Sendable (inout WebConfiguration) -> Void,
    _ test: (Application, Store) async throws -> Void
) async throws {
    do {
        try await store.migrate()
        try await store.demo.load(
            DemoAuthority(options: .init(schools: 3, pupilsPerSchool: 40, until: testToday, seed: 5)))
        try await DemoAccounts.create(in: store, today: testToday, passwords: testPasswords)
        try await withApp(configure: { app in
            app.logger.logLevel = .critical
            var configuration = WebConfiguration.forTests(demoMode: demoMode)
            adjust(&configuration)
            try await WebServer.configure(app, store: store, configuration: configuration)
        }) { app in
            try await test(app, store)
        }
    } catch {
        await store.shutdown()
        throw error
    }
    await store.shutdown()
}

/// A browser's view of the app: keeps the session cookie and the page's CSRF token between requests.
struct Browser {
    let app: Application
    /// Cookies by name (the session, the sign-in form's token, the language).
    var cookies: [String: String] = [:]
    var csrf = ""
    /// Sent with every request (a proxy's `X-Forwarded-For`).
    var headers: HTTPHeaders = [:]
    /// A port to send to a running server on, rather than in memory (a request then comes from 127.0.0.1).
    var port: Int?

    var tester: any TestingApplicationTester {
        get throws { try app.testing(method: port.map { .running(hostname: "127.0.0.1", port: $0) } ?? .inMemory) }
    }

    /// The `Cookie` header a browser would send (paths are not told apart: every test path is under `/`).
    var cookie: String {
        get { cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
    }

    /// Forgets the session cookie, as another device would not have it.
    mutating func forgetSession() { cookies["attendance-session"] = nil }

    init(_ app: Application) { self.app = app }

    @discardableResult
    mutating func get(_ path: String, headers: HTTPHeaders = [:]) async throws -> TestingHTTPResponse {
        var headers = headers
        for (name, value) in self.headers { headers.replaceOrAdd(name: name, value: value) }
        if !cookie.isEmpty { headers.replaceOrAdd(name: .cookie, value: cookie) }
        let response = try await tester.sendRequest(.GET, path, headers: headers)
        remember(response)
        return response
    }

    @discardableResult
    mutating func post(_ path: String, _ form: [String: String], csrf useCSRF: Bool = true) async throws
        -> TestingHTTPResponse
    {
        var fields = form
        if useCSRF { fields["csrf"] = csrf }
        let body = fields.sorted { $0.key < $1.key }
            .map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
            .joined(separator: "&")
        var headers = self.headers
        headers.replaceOrAdd(name: .contentType, value: "application/x-www-form-urlencoded")
        if !cookie.isEmpty { headers.replaceOrAdd(name: .cookie, value: cookie) }
        let response = try await tester.sendRequest(.POST, path, headers: headers, body: ByteBuffer(string: body))
        remember(response)
        return response
    }

    /// Sends a file as a browser's file field does (multipart/form-data), with the page's CSRF token.
    @discardableResult
    mutating func upload(_ path: String, field: String, fileName: String, data: Data) async throws
        -> TestingHTTPResponse
    {
        try await upload(path, files: [(field, fileName, data)])
    }

    /// Sends files and fields as a browser's form with file fields does, with the page's CSRF token.
    @discardableResult
    mutating func upload(
        _ path: String, files: [(field: String, fileName: String, data: Data)], fields: [String: String] = [:]
    ) async throws -> TestingHTTPResponse {
        let boundary = "----attendance-test-\(UUID().uuidString)"
        var body = Data()
        for (name, value) in [("csrf", csrf)] + fields.sorted(by: { $0.key < $1.key }) {
            body.append(
                Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8))
        }
        for file in files {
            body.append(
                Data(
                    ("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"; "
                        + "filename=\"\(file.fileName)\"\r\nContent-Type: text/xml\r\n\r\n").utf8))
            body.append(file.data)
            body.append(Data("\r\n".utf8))
        }
        body.append(Data("--\(boundary)--\r\n".utf8))
        var headers: HTTPHeaders = ["Content-Type": "multipart/form-data; boundary=\(boundary)"]
        if !cookie.isEmpty { headers.replaceOrAdd(name: .cookie, value: cookie) }
        let response = try await app.testing().sendRequest(.POST, path, headers: headers, body: ByteBuffer(bytes: body))
        remember(response)
        return response
    }

    private mutating func remember(_ response: TestingHTTPResponse) {
        for value in response.headers[.setCookie] {
            let pair = value.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            guard let name = pair.first.map(String.init) else { continue }
            let content = pair.count > 1 ? String(pair[1]) : ""
            let expired = value.lowercased().contains("max-age=0") || value.contains("1970")
            cookies[name] = content.isEmpty || expired ? nil : content
        }
        if let range = response.body.string.range(of: #"name="csrf" value="([^"]+)""#, options: .regularExpression) {
            let match = response.body.string[range]
            csrf = String(match.split(separator: "\"")[3])
        }
    }

    /// Signs in; the caller checks the outcome.
    @discardableResult
    mutating func signIn(_ email: String, _ password: String) async throws -> TestingHTTPResponse {
        try await get("/sign-in")
        return try await post("/sign-in", ["email": email, "password": password, "next": "/"])
    }

    static func signedIn(_ app: Application, as role: Role) async throws -> Browser {
        var browser = Browser(app)
        let account = DemoAccounts.all.first { $0.role == role }!
        let response = try await browser.signIn(account.email, account.password)
        #expect(response.status == .seeOther, "\(role) could not sign in")
        // Home, or where home sends them (a patrol's home is the patrols page).
        let home = try await browser.get("/")
        if home.status == .seeOther, let next = home.headers.first(name: .location) { try await browser.get(next) }
        return browser
    }
}

extension Browser {
    /// Produces the day's letters from the queue as a person does: the post answers at once with the job's page,
    /// which becomes the batch when the letters are made. Returns the batch page's address.
    mutating func produceDueLetters(at school: LAESTAB = mainSchool) async throws -> String {
        try await produceDueLettersAsJob(at: school).batch
    }

    /// The same, with the job's page's address too.
    mutating func produceDueLettersAsJob(at school: LAESTAB = mainSchool) async throws -> (job: String, batch: String) {
        let started = try await post("/schools/\(school)/letters/due", [:])
        #expect(started.status == .seeOther)
        let job = try #require(started.headers.first(name: .location))
        #expect(job.hasPrefix("/schools/\(school)/letters/jobs/"))
        for _ in 0..<1200 {
            let page = try await get(job)
            if page.status == .seeOther { return (job, try #require(page.headers.first(name: .location))) }
            #expect(page.status == .ok)
            #expect(!page.body.string.contains("role=\"alert\""), "the job failed: \(page.body.string)")
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("the day's letters were not made in two minutes")
        return (job, job)
    }
}

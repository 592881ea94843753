import ArgumentParser
import AsyncHTTPClient
import AttendanceCore
import AttendanceInterop
import AttendanceLetters
import AttendanceStore
import AttendanceWeb
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// Issue 39: the pages as people meet them. A demo authority (`attendance demo`'s, at the size given) behind a
/// real server; each demo account signs in and opens its home and every page its home links to, each page
/// `repeats` times; the median of each is kept, and the slowest ten are printed.
enum BenchPages {
    struct Timing: Encodable {
        let role: String
        let path: String
        let status: UInt
        let medianMS: Double

        enum CodingKeys: String, CodingKey {
            case role, path, status
            case medianMS = "median_ms"
        }
    }

    static func measure(
        schools: Int, pupilsPerSchool: Int, repeats: Int, folder: URL, report: inout BenchReport
    ) async throws {
        let database = folder.appendingPathComponent("pages.sqlite").path
        var logger = Logger(label: "attendance.bench")
        logger.logLevel = .warning
        let store = try Store(location: DatabaseLocation(database), logger: logger)
        do {
            try await store.migrate()
            let options = DemoAuthority.Options(
                schools: schools, pupilsPerSchool: pupilsPerSchool, until: LocalDate.today(), seed: 1)
            _ = try await DemoCommand.fill(options, into: store, policy: .wrexham2025, progress: Progress())
        } catch {
            await store.shutdown()
            throw error
        }
        await store.shutdown()
        let (servers, bases) = try BenchHTTP.startServers(database: database, count: 1)
        defer { BenchHTTP.stop(servers) }
        // Redirects are read, not followed: signing in answers with the session's cookie and a redirect home.
        let client = HTTPClient(
            eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
        do {
            try await BenchHTTP.waitUntilUp(bases, client: client)
            var timings: [Timing] = []
            var signIns: [(role: String, ms: Double)] = []
            for account in DemoAccounts.all {
                var visit = Visitor(client: client, base: bases[0])
                let signIn = try await visit.signIn(account.email, password: account.password)
                signIns.append((account.role.rawValue, signIn))
                let home = try await visit.get("/")
                var paths = ["/"]
                for path in links(in: home.body) where !paths.contains(path) { paths.append(path) }
                for path in paths {
                    var times: [Double] = []
                    var status: UInt = 0
                    for _ in 0..<repeats {
                        let clock = ContinuousClock.now
                        status = try await visit.get(path).status
                        times.append((ContinuousClock.now - clock).milliseconds)
                    }
                    times.sort()
                    timings.append(
                        Timing(
                            role: account.role.rawValue, path: path, status: status, medianMS: times[times.count / 2]))
                }
            }
            try await client.shutdown()
            record(timings, signIns: signIns, repeats: repeats, report: &report)
        } catch {
            try? await client.shutdown()
            throw error
        }
        BenchHTTP.stop(servers)
        try await letters(database: database, logger: logger, report: &report)
    }

    /// The first school's due letters produced as its office produces them (`attendance letters due`): rendered,
    /// made PDF, kept, and the printed ones joined into one PDF; letters a second over the whole batch.
    static func letters(database: String, logger: Logger, report: inout BenchReport) async throws {
        guard let pdf = PDFMaker.locate(environment: ProcessInfo.processInfo.environment) else {
            report.notes.append("letters not timed: WeasyPrint is not installed")
            return
        }
        let store = try Store(location: DatabaseLocation(database), logger: logger)
        do {
            guard let school = try await store.reference.schools().first?.school.laestab else {
                throw ValidationError("the demo authority has no school")
            }
            let service = LetterService(
                store: store, templates: try LetterTemplates(), pdf: pdf, smtp: nil, texts: nil)
            var batch: LetterService.Batch?
            let ms = try await milliseconds {
                batch = try await service.produceDue(
                    school: school, today: LocalDate.today(), by: AuditActor("bench"), signatory: "Benchmark")
            }
            let count = Double(batch?.letterIDs.count ?? 0)
            report.add("letters produced (one school's due letters, with PDF)", count, "letters")
            report.add("letters per second", count / (ms / 1000), "letters/s", atLeast: 10)
            await store.shutdown()
        } catch {
            await store.shutdown()
            throw error
        }
    }

    static func record(
        _ timings: [Timing], signIns: [(role: String, ms: Double)], repeats: Int, report: inout BenchReport
    ) {
        let slowest = timings.sorted { $0.medianMS > $1.medianMS }
        report.pages = slowest
        report.add("pages timed (every role's home and its links)", Double(timings.count), "pages")
        report.add("slowest page", slowest.first?.medianMS ?? 0, "ms", atMost: 200)
        if let worst = signIns.max(by: { $0.ms < $1.ms }) {
            report.add("slowest sign-in (the password check included)", worst.ms, "ms")
        }
        var lines = ["slowest pages (median of \(repeats)):"]
        for timing in slowest.prefix(10) {
            let ms = BenchReport.format(timing.medianMS).padding(toLength: 7, withPad: " ", startingAt: 0)
            lines.append(
                "  \(ms) ms  \(timing.role.padding(toLength: 26, withPad: " ", startingAt: 0)) \(timing.path)")
        }
        let refused = timings.filter { !(200..<400).contains($0.status) }
        for timing in refused {
            lines.append("  answered \(timing.status): \(timing.role) \(timing.path)")
        }
        report.notes.append(lines.joined(separator: "\n"))
    }

    /// The site's own pages a page links to, in order, once each: no sign-out, no static files.
    static func links(in html: String) -> [String] {
        var found: [String] = []
        for match in html.matches(of: #/href="(/[^"#]*)/#) {
            let path = String(match.output.1).replacingOccurrences(of: "&amp;", with: "&")
            guard !path.hasPrefix("//"), !path.hasPrefix("/static/"), !path.hasPrefix("/sign-out"),
                !path.hasPrefix("/sign-in"), !found.contains(path)
            else { continue }
            let file = path.split(separator: "?").first.map(String.init) ?? path
            guard !["css", "js", "png", "svg", "ico", "webmanifest"].contains(where: { file.hasSuffix(".\($0)") })
            else { continue }
            found.append(path)
        }
        return found
    }

    /// One person's browser: the session cookie it was given, sent with every page.
    struct Visitor {
        let client: HTTPClient
        let base: String
        var cookie = ""

        init(client: HTTPClient, base: String) {
            self.client = client
            self.base = base
        }

        func get(_ path: String) async throws -> (status: UInt, body: String) {
            var request = HTTPClientRequest(url: base + path)
            request.headers.add(name: "Cookie", value: cookie)
            let response = try await client.execute(request, timeout: .seconds(60))
            let body = try await response.body.collect(upTo: 64 << 20)
            return (response.status.code, String(buffer: body))
        }

        /// Signs in through the form as a browser does; the milliseconds the form's answer took.
        mutating func signIn(_ email: String, password: String) async throws -> Double {
            let page = try await client.execute(HTTPClientRequest(url: base + "/sign-in"), timeout: .seconds(30))
            let html = String(buffer: try await page.body.collect(upTo: 1 << 20))
            let formCookie = page.headers["Set-Cookie"].first { $0.hasPrefix("attendance-sign-in=") }
            guard let formCookie, let csrf = html.firstMatch(of: #/name="csrf" value="([^"]+)"/#)?.output.1 else {
                throw ValidationError("the sign-in page has no form token")
            }
            var request = HTTPClientRequest(url: base + "/sign-in")
            request.method = .POST
            request.headers.add(name: "Cookie", value: String(formCookie.prefix { $0 != ";" }))
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            let form = ["email": email, "password": password, "csrf": String(csrf), "next": "/"]
                .map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
                .joined(separator: "&")
            request.body = .bytes(ByteBuffer(string: form))
            let clock = ContinuousClock.now
            let answer = try await client.execute(request, timeout: .seconds(30))
            _ = try await answer.body.collect(upTo: 1 << 20)
            let ms = (ContinuousClock.now - clock).milliseconds
            guard answer.status == .seeOther || answer.status == .found,
                let session = answer.headers["Set-Cookie"].first(where: { $0.hasPrefix("attendance-session=") })
            else { throw ValidationError("\(email) could not sign in (\(answer.status.code))") }
            cookie = String(session.prefix { $0 != ";" })
            return ms
        }
    }
}

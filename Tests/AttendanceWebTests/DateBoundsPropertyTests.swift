import AttendanceCore
import Foundation
import Testing
import VaporTesting

@testable import AttendanceStore
@testable import AttendanceWeb

/// Every route, as every role, with dates at and beyond the bounds in every place a date can come from (the path,
/// the query, a form, a JSON body): no answer is a server error, and the server still answers afterwards.
@Suite struct DateBoundsPropertyTests {
    /// At the bounds, beyond them, impossible and malformed.
    static let dates = [
        "0001-01-01", "1899-12-31", "1989-12-31", "1990-01-01", "2100-12-31", "2101-01-01", "9999-12-31", "2026-02-30",
    ]

    /// Every field name a form or body of this program reads a date from.
    static let dateFields = [
        "from", "to", "date", "day", "on", "seen_on", "issued_on", "paid_on", "start", "starts_on", "review_on",
        "next_step_on", "meeting", "ends_on",
    ]

    @Test func everyRouteAsEveryRoleWithDatesAtAndBeyondTheBoundsAnswersWithoutAServerError() async throws {
        try await withWebApp { app, store in
            let child = try #require(try await store.identity.user(email: "parent@demo.example")?.grants.first?.child)
            let form = try #require(try await store.identity.user(email: "tutor@demo.example")?.grants.first)
                .registrationGroups[0]
            let routes = app.routes.all.filter { route in
                // Signing out would end the session the walk goes on with.
                !route.path.map(\.description).contains("sign-out")
            }
            // Each role walks in a task of its own (the walks are independent; the machine has two cores).
            let sent = try await withThrowingTaskGroup(of: Int.self) { group in
                for role in Role.allCases {
                    group.addTask { try await Self.walk(app, as: role, routes: routes, child: child, form: form) }
                }
                return try await group.reduce(0, +)
            }
            #expect(sent > 4_000)
            var anyone = Browser(app)
            #expect(try await anyone.get("/health").status == .ok)
        }
    }

    /// Sends every route with every date as one role; returns how many requests were sent.
    static func walk(_ app: Application, as role: Role, routes: [Route], child: UPN, form: String) async throws -> Int {
        var sent = 0
        var browser = try await Browser.signedIn(app, as: role)
        for route in routes {
            for date in Self.dates {
                let path =
                    "/"
                    + route.path.map { component -> String in
                        switch component.description {
                        case ":laestab": return mainSchool.description
                        case ":upn": return child.value
                        case ":group": return form
                        case ":date": return date
                        case ":session": return "AM"
                        case ":kind": return "letter_1"
                        case ":language": return "en"
                        case let other where other.hasPrefix(":"): return "1"
                        case let other: return other
                        }
                    }.joined(separator: "/")
                let query = ["from", "to", "date"].map { "\($0)=\(date)" }.joined(separator: "&")
                let fields = Dictionary(uniqueKeysWithValues: Self.dateFields.map { ($0, date) })
                let response: TestingHTTPResponse
                switch route.method {
                case .GET: response = try await browser.get(path + "?" + query)
                case .POST where path.hasPrefix("/api/"):
                    let body = try JSONSerialization.data(
                        withJSONObject: fields.merging(["reason": "x"]) { a, _ in a })
                    response = try await app.testing().sendRequest(
                        .POST, path + "?" + query,
                        headers: [
                            "Cookie": browser.cookie, "X-CSRF-Token": browser.csrf,
                            "Content-Type": "application/json",
                        ], body: ByteBuffer(string: String(decoding: body, as: UTF8.self)))
                default: response = try await browser.post(path + "?" + query, fields)
                }
                sent += 1
                #expect(
                    response.status.code < 500,
                    "\(role) \(route.method) \(route.path.map(\.description).joined(separator: "/")) \(date): \(response.status)"
                )
            }
        }
        #expect(try await browser.get("/health").status == .ok)
        return sent
    }
}

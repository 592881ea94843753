import AttendanceCore
import Foundation
import Testing
import VaporTesting

@testable import AttendanceStore
@testable import AttendanceWeb

@Suite struct APITests {
    @Test func theOpenAPIDocumentDescribesExactlyTheAPIRoutes() async throws {
        try await withWebApp { app, _ in
            let response = try await app.testing().sendRequest(.GET, "/openapi.json")
            #expect(response.status == .ok)
            let document = try JSONSerialization.jsonObject(with: Data(response.body.string.utf8)) as! [String: Any]
            #expect((document["openapi"] as? String)?.hasPrefix("3.") == true)
            let paths = document["paths"] as! [String: [String: Any]]
            var documented = Set<String>()
            for (path, operations) in paths {
                for method in operations.keys { documented.insert("\(method.uppercased()) \(path)") }
            }
            let routes = Set(
                app.routes.all.filter { $0.path.first?.description == "api" }.map { route in
                    "\(route.method.rawValue) /"
                        + route.path.map { component -> String in
                            let text = component.description
                            return text.hasPrefix(":") ? "{\(text.dropFirst())}" : text
                        }.joined(separator: "/")
                })
            #expect(!routes.isEmpty)
            #expect(
                routes == documented,
                "undocumented: \(routes.subtracting(documented)); no route: \(documented.subtracting(routes))")
        }
    }

    /// Makes a token for a demo role through the account page, as a user would.
    func token(_ app: Application, _ role: Role) async throws -> String {
        var browser = try await Browser.signedIn(app, as: role)
        try await browser.get("/account")
        let html = try await browser.post("/account/tokens", ["name": "test"]).body.string
        let range = html.range(of: #"att_[A-Za-z0-9_-]+"#, options: .regularExpression)!
        return String(html[range])
    }

    func call(_ app: Application, _ method: HTTPMethod, _ path: String, token: String, body: String? = nil) async throws
        -> (HTTPStatus, [String: Any])
    {
        var headers: HTTPHeaders = ["Authorization": "Bearer \(token)"]
        if body != nil { headers.add(name: .contentType, value: "application/json") }
        let response = try await app.testing().sendRequest(
            method, path, headers: headers, body: body.map { ByteBuffer(string: $0) })
        let json = (try? JSONSerialization.jsonObject(with: Data(response.body.string.utf8))) as? [String: Any] ?? [:]
        return (response.status, json)
    }

    @Test func aRegisterIsReadAndSavedOverJSONWithTheSameRules() async throws {
        try await withWebApp { app, store in
            let tutor = try await token(app, .formTutor)
            let group = try await store.identity.user(email: "tutor@demo.example")!.grants[0].registrationGroups[0]
            let path = "/api/registers/\(mainSchool)/\(group)/\(testToday)/AM"
            let (status, register) = try await call(app, .GET, path, token: tutor)
            #expect(status == .ok)
            let pupils = register["pupils"] as! [[String: Any]]
            #expect(register["closes"] as? String == "09:15")
            let upns = pupils.map { $0["upn"] as! String }
            func body(_ marks: [(String, String, Int?, String?)], reason: String? = nil) -> String {
                let items = marks.map { m in
                    #"{"upn":"\#(m.0)","code":"\#(m.1)","minutes_late":\#(m.2.map(String.init) ?? "null"),"expected":\#(m.3.map { "\"\($0)\"" } ?? "null")}"#
                }
                return #"{"marks":[\#(items.joined(separator: ","))]\#(reason.map { #","reason":"\#($0)""# } ?? "")}"#
            }
            // A bad line writes nothing and is named.
            let (bad, problems) = try await call(
                app, .POST, path, token: tutor, body: body([(upns[0], "/", nil, nil), (upns[1], "K", nil, nil)]))
            #expect(bad == .unprocessableEntity)
            #expect((problems["errors"] as! [[String: Any]]).first?["upn"] as? String == upns[1])
            #expect(
                try await store.registers.registerLines(
                    schoolID: try await store.reference.requireSchool(mainSchool).id, group: group,
                    session: SchoolSession(testToday, .am)
                ).allSatisfy { $0.mark == nil })
            // The clock decides L or U, whatever late code is sent.
            let marks = upns.enumerated().map { i, upn in i == 0 ? (upn, "L", 45, nil as String?) : (upn, "/", nil, nil)
            }
            let (ok, result) = try await call(app, .POST, path, token: tutor, body: body(marks))
            #expect(ok == .ok)
            #expect(result["inserted"] as? Int == upns.count)
            let (_, again) = try await call(app, .GET, path, token: tutor)
            let first = (again["pupils"] as! [[String: Any]]).first { $0["upn"] as? String == upns[0] }!
            #expect(first["code"] as? String == "U" && first["minutes_late"] as? Int == 45)
            // A change needs a reason; a stale view is a conflict, not an overwrite.
            let (noReason, _) = try await call(app, .POST, path, token: tutor, body: body([(upns[1], "N", nil, "/")]))
            #expect(noReason == .unprocessableEntity)
            let (conflict, conflicted) = try await call(
                app, .POST, path, token: tutor, body: body([(upns[1], "N", nil, nil)], reason: "mistake"))
            #expect(conflict == .conflict)
            #expect((conflicted["conflicts"] as! [[String: Any]]).first?["current"] as? String == "/")
            let (changed, amended) = try await call(
                app, .POST, path, token: tutor, body: body([(upns[1], "N", nil, "/")], reason: "mistake"))
            #expect(changed == .ok && amended["amended"] as? Int == 1)
            // Out of scope is refused, for reading and saving.
            let (other, _) = try await call(
                app, .POST, "/api/registers/\(mainSchool)/11A/\(testToday)/AM", token: tutor, body: body([]))
            #expect(other == .forbidden)
            let (marksStatus, _) = try await call(
                app, .GET, "/api/pupils/\(upns[0])/marks?from=\(testToday)&to=\(testToday)", token: tutor)
            #expect(marksStatus == .ok)
        }
    }
}

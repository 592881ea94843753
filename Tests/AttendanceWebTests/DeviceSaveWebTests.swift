import AttendanceCore
import Foundation
import SQLKit
import Testing
import VaporTesting

@testable import AttendanceStore
@testable import AttendanceWeb

/// A register held on a tablet without a connection and sent later (issue 37): the page's script sends a key and
/// the time the marks were made; the server writes a key once and shows a change made since as a conflict.
@Suite struct DeviceSaveWebTests {
    func rows(_ store: Store, _ table: String) async throws -> Int {
        try await store.sql.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first()?.decode(column: "n", as: Int.self)
            ?? -1
    }

    func iso(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    @Test func aSaveSentAgainIsTheSameSaveAndAChangeSinceIsShownAsAConflict() async throws {
        try await withWebApp { app, store in
            let form = try await RegisterTests.Form(store: store)
            var tutor = try await Browser.signedIn(app, as: .formTutor)
            try await tutor.get(form.path)
            let made = Date().addingTimeInterval(-40 * 60)
            var fields = form.fields()
            fields["save-key"] = "6d3c1f0a-5b1e-4c1b-9a7e"
            fields["made-at"] = iso(made)
            #expect(try await tutor.post(form.path, fields).status == .seeOther)
            let recorders = try await rows(store, "register_recordings")
            // Sent again (the answer was lost on the way back): the same answer, nothing written.
            #expect(try await tutor.post(form.path, fields).status == .seeOther)
            #expect(try await rows(store, "register_recordings") == recorders)
            #expect(try await rows(store, "register_saves") == 1)
            let lines = try await store.registers.registerLines(
                schoolID: form.schoolID, group: form.group, session: form.session)
            #expect(
                lines.allSatisfy {
                    $0.mark.flatMap(\.madeOnDeviceAt).map { abs($0.timeIntervalSince(made)) < 0.01 } == true
                })
            // The office changes a pupil's mark with a reason; the tablet sends its save once more: the office's mark
            // stays and the tutor is shown it, as a conflict is shown online.
            let pupil = form.lines[1].pupil.upn
            let amendments = try await rows(store, "mark_amendments")
            var office = try await Browser.signedIn(app, as: .attendanceAdministrator)
            try await office.get(form.path)
            let changed = try await office.post(
                form.path, ["mark-\(pupil)": "absent", "seen-\(pupil)": "/", "reason": "Left ill at 9:30"])
            #expect(changed.status == .seeOther)
            let third = try await tutor.post(form.path, fields)
            #expect(third.status == .conflict)
            #expect(third.body.string.contains("office@demo.example had recorded N"))
            #expect(try await RegisterTests().codes(store, form)[pupil] == "N")
            #expect(try await rows(store, "mark_amendments") == amendments + 1)
        }
    }

    @Test func aKeyOrATimeThatCannotBeTakenIsRefusedNamingItsFieldAndWritesNothing() async throws {
        try await withWebApp { app, store in
            let form = try await RegisterTests.Form(store: store)
            var tutor = try await Browser.signedIn(app, as: .formTutor)
            try await tutor.get(form.path)
            let cases: [(key: String, made: String, field: String)] = [
                ("short", iso(Date()), "save-key"),
                ("6d3c1f0a-5b1e-4c1b", "2026-13-45T08:55:00Z", "made-at"),
                ("6d3c1f0a-5b1e-4c1b", iso(Date().addingTimeInterval(-8 * 24 * 3600)), "made-at"),
                ("6d3c1f0a-5b1e-4c1b", iso(Date().addingTimeInterval(3600)), "made-at"),
                ("6d3c1f0a-5b1e-4c1b", String(repeating: "9", count: 5000), "made-at"),
            ]
            for (key, made, field) in cases {
                var fields = form.fields()
                fields["save-key"] = key
                fields["made-at"] = made
                let refused = try await tutor.post(form.path, fields)
                #expect(refused.status == .unprocessableEntity, "\(key) \(made.prefix(40))")
                #expect(refused.body.string.contains(field))
            }
            #expect(try await RegisterTests().codes(store, form).isEmpty)
            #expect(try await rows(store, "register_saves") == 0)
        }
    }

    @Test func theAPITakesAKeyOnceAndSaysSo() async throws {
        try await withWebApp { app, store in
            let tests = APITests()
            let token = try await tests.token(app, .formTutor)
            let form = try await RegisterTests.Form(store: store)
            let path = "/api/registers/\(mainSchool)/\(form.group)/\(testToday)/AM"
            let upn = form.lines[0].pupil.upn.value
            let body =
                #"{"marks":[{"upn":"\#(upn)","code":"/"}],"save_key":"api-save-0001","made_at":"\#(iso(Date()))"}"#
            let (first, saved) = try await tests.call(app, .POST, path, token: token, body: body)
            #expect(first == .ok && saved["inserted"] as? Int == 1 && saved["repeated"] as? Bool == false)
            let (second, again) = try await tests.call(app, .POST, path, token: token, body: body)
            #expect(second == .ok && again["inserted"] as? Int == 0 && again["repeated"] as? Bool == true)
            let (_, register) = try await tests.call(app, .GET, path, token: token)
            let line = (register["pupils"] as? [[String: Any]])?.first { $0["upn"] as? String == upn }
            #expect(line?["made_at"] is String)
            let bad = #"{"marks":[{"upn":"\#(upn)","code":"/"}],"save_key":"no","made_at":null}"#
            let (refused, problem) = try await tests.call(app, .POST, path, token: token, body: bad)
            #expect(refused == .unprocessableEntity)
            #expect("\(problem)".contains("save_key"))
        }
    }

    /// Signing out tells the browser to drop what it holds of this site: the stored register pages, the saves held
    /// on the device and the service worker (a shared tablet keeps nothing of a register).
    @Test func signingOutClearsWhatTheDeviceHolds() async throws {
        try await withWebApp { app, _ in
            var tutor = try await Browser.signedIn(app, as: .formTutor)
            let home = try await tutor.get("/")
            #expect(home.body.string.contains("id=\"device-saves\""))
            let out = try await tutor.post("/sign-out", [:])
            #expect(out.status == .seeOther)
            #expect(out.headers.first(name: "Clear-Site-Data") == "\"cache\", \"storage\"")
        }
    }
}

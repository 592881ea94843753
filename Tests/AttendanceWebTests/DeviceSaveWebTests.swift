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

    /// A key that cannot be taken is refused, naming its field, and writes nothing. A time that cannot be taken (a
    /// tablet whose clock is wrong) does not lose the register: the save is written without it, and the record says
    /// only when the server received it. (The API refuses such a time: see the next test.)
    @Test func aBadKeyIsRefusedAndABadTimeIsLeftOutOfTheRecordNotTheRegister() async throws {
        try await withWebApp { app, store in
            let form = try await RegisterTests.Form(store: store)
            var tutor = try await Browser.signedIn(app, as: .formTutor)
            try await tutor.get(form.path)
            for key in ["short", "with spaces in it", String(repeating: "k", count: 65)] {
                var fields = form.fields()
                fields["save-key"] = key
                fields["made-at"] = iso(Date())
                let refused = try await tutor.post(form.path, fields)
                #expect(refused.status == .unprocessableEntity, "\(key)")
                #expect(refused.body.string.contains("save-key"))
            }
            #expect(try await RegisterTests().codes(store, form).isEmpty)
            #expect(try await rows(store, "register_saves") == 0)
            let times = [
                "2026-13-45T08:55:00Z", iso(Date().addingTimeInterval(-8 * 24 * 3600)),
                iso(Date().addingTimeInterval(3600)), String(repeating: "9", count: 5000),
            ]
            for (index, time) in times.enumerated() {
                var fields = form.fields()
                fields["save-key"] = "clock-wrong-\(index)"
                fields["made-at"] = time
                #expect(try await tutor.post(form.path, fields).status == .seeOther, "\(time.prefix(40))")
            }
            #expect(try await RegisterTests().codes(store, form).count == form.lines.count)
            #expect(try await rows(store, "register_saves") == times.count)
            let lines = try await store.registers.registerLines(
                schoolID: form.schoolID, group: form.group, session: form.session)
            #expect(lines.allSatisfy { $0.mark != nil && $0.mark?.madeOnDeviceAt == nil })
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
            let late = iso(Date().addingTimeInterval(-8 * 24 * 3600))
            let stale = #"{"marks":[{"upn":"\#(upn)","code":"/"}],"save_key":"api-save-0002","made_at":"\#(late)"}"#
            let (old, oldProblem) = try await tests.call(app, .POST, path, token: token, body: stale)
            #expect(old == .unprocessableEntity)
            #expect("\(oldProblem)".contains("made_at"))
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

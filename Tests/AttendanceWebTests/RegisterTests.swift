import AttendanceCore
import Foundation
import Testing
import VaporTesting

@testable import AttendanceStore
@testable import AttendanceWeb

@Suite struct RegisterTests {
    struct Form {
        let group: String
        let schoolID: Int
        let lines: [RegisterLine]
        var path: String { "/registers/\(mainSchool)/\(group)/\(testToday)/AM" }
        var session: SchoolSession { SchoolSession(testToday, .am) }

        init(store: Store, as email: String = "tutor@demo.example") async throws {
            group = try await store.identity.user(email: "tutor@demo.example")!.grants[0].registrationGroups[0]
            schoolID = try await store.reference.requireSchool(mainSchool).id
            lines = try await store.registers.registerLines(
                schoolID: schoolID, group: group, session: SchoolSession(testToday, .am))
        }

        /// A form with every pupil present, then the given exceptions.
        func fields(_ exceptions: [UPN: [String: String]] = [:], seen: [UPN: String] = [:], reason: String = "")
            -> [String: String]
        {
            var fields: [String: String] = ["reason": reason]
            for line in lines {
                let upn = line.pupil.upn
                fields["seen-\(upn)"] = seen[upn] ?? line.mark?.mark.code ?? ""
                fields["mark-\(upn)"] = "present"
                for (key, value) in exceptions[upn] ?? [:] { fields["\(key)-\(upn)"] = value }
            }
            return fields
        }
    }

    func codes(_ store: Store, _ form: Form) async throws -> [UPN: String] {
        var result: [UPN: String] = [:]
        for line in try await store.registers.registerLines(
            schoolID: form.schoolID, group: form.group, session: form.session)
        {
            result[line.pupil.upn] = line.mark?.mark.code
        }
        return result
    }

    @Test func allPresentThenExceptionsSavesTheWholeRegisterOnce() async throws {
        try await withWebApp { app, store in
            let form = try await Form(store: store)
            #expect(form.lines.count >= 5 && form.lines.allSatisfy { $0.mark == nil })
            var tutor = try await Browser.signedIn(app, as: .formTutor)
            try await tutor.get(form.path)
            // Three exceptions tapped, then "All present" without the page's script: the form comes back with the
            // exceptions kept, everyone else present, and nothing saved yet.
            let absent = Array(form.lines.prefix(3).map(\.pupil.upn))
            var tapped = form.fields(Dictionary(uniqueKeysWithValues: absent.map { ($0, ["mark": "absent"]) }))
            for line in form.lines where !absent.contains(line.pupil.upn) { tapped["mark-\(line.pupil.upn)"] = nil }
            tapped["fill"] = "present"
            let page = try await tutor.post(form.path, tapped)
            #expect(page.status == .ok)
            #expect(page.body.string.components(separatedBy: "value=\"present\" checked").count == form.lines.count - 2)
            #expect(page.body.string.components(separatedBy: "value=\"absent\" checked").count == 4)
            #expect(try await codes(store, form).isEmpty)
            let saved = try await tutor.post(
                form.path, form.fields(Dictionary(uniqueKeysWithValues: absent.map { ($0, ["mark": "absent"]) })))
            #expect(saved.status == .seeOther)
            let after = try await codes(store, form)
            #expect(after.values.filter { $0 == "N" }.count == 3)
            #expect(after.values.filter { $0 == "/" }.count == form.lines.count - 3)
            // Submitting again is harmless.
            let before = try await store.auditTrail.search(AuditQuery()).count
            try await tutor.get(form.path)
            let again = try await tutor.post(
                form.path,
                form.fields(
                    Dictionary(uniqueKeysWithValues: absent.map { ($0, ["mark": "absent"]) }),
                    seen: after.compactMapValues { $0 }))
            #expect(again.status == .seeOther)
            #expect(try await store.auditTrail.search(AuditQuery()).count == before)
            let list = try await tutor.get("/registers?date=\(testToday)").body.string
            #expect(list.contains("morning: taken"))
            // A Saturday's register is refused with a sentence, not a catalogue key.
            let saturday = "/registers/\(mainSchool)/\(form.group)/2026-11-21/AM"
            let refused = try await tutor.post(saturday, form.fields())
            #expect(refused.status == .badRequest)
            #expect(refused.body.string.contains("is not a school day at this school"))
            #expect(!refused.body.string.contains("notSchoolDay"))
        }
    }

    @Test func lateIsLBeforeCloseAndUAfterWithoutAnyoneChoosing() async throws {
        try await withWebApp { app, store in
            let form = try await Form(store: store)
            var tutor = try await Browser.signedIn(app, as: .formTutor)
            try await tutor.get(form.path)
            let early = form.lines[0].pupil.upn, late = form.lines[1].pupil.upn
            // The demo secondary's morning starts 08:45 and closes 09:15: 20 minutes is L, 45 is U.
            try await tutor.post(
                form.path, form.fields([early: ["mark": "late", "late": "20"], late: ["mark": "late", "late": "45"]]))
            let lines = try await store.registers.registerLines(
                schoolID: form.schoolID, group: form.group, session: form.session)
            let byUPN = Dictionary(uniqueKeysWithValues: lines.map { ($0.pupil.upn, $0.mark!.mark) })
            #expect(byUPN[early]?.code == "L" && byUPN[early]?.minutesLate == 20)
            #expect(byUPN[late]?.code == "U" && byUPN[late]?.minutesLate == 45)
            // Late without minutes is refused, naming the pupil's row; nothing is written.
            let second = SchoolSession(testToday, .pm)
            let pm = "/registers/\(mainSchool)/\(form.group)/\(testToday)/PM"
            try await tutor.get(pm)
            var fields = form.fields([early: ["mark": "late", "late": ""]])
            for line in form.lines { fields["seen-\(line.pupil.upn)"] = "" }
            let refused = try await tutor.post(pm, fields)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("Enter how many minutes late."))
            #expect(
                try await store.registers.registerLines(schoolID: form.schoolID, group: form.group, session: second)
                    .allSatisfy {
                        $0.mark == nil
                    })
        }
    }

    @Test func aCorrectionNeedsAReasonAndKeepsTheOriginal() async throws {
        try await withWebApp { app, store in
            let form = try await Form(store: store)
            var tutor = try await Browser.signedIn(app, as: .formTutor)
            try await tutor.get(form.path)
            try await tutor.post(form.path, form.fields())
            let pupil = form.lines[0].pupil.upn
            let seen = try await codes(store, form).compactMapValues { $0 }
            try await tutor.get(form.path)
            let noReason = try await tutor.post(form.path, form.fields([pupil: ["mark": "absent"]], seen: seen))
            #expect(noReason.status == .unprocessableEntity)
            #expect(noReason.body.string.contains("please give a reason"))
            #expect(try await codes(store, form)[pupil] == "/")
            try await tutor.get(form.path)
            let corrected = try await tutor.post(
                form.path, form.fields([pupil: ["mark": "absent"]], seen: seen, reason: "Marked present by mistake"))
            #expect(corrected.status == .seeOther)
            let history = try await store.registers.amendments(of: pupil).filter { $0.session == form.session }
            #expect(history.count == 1)
            #expect(history[0].oldCode == "/" && history[0].newCode == "N")
            #expect(history[0].changedBy == "tutor@demo.example" && history[0].oldRecordedBy == "tutor@demo.example")
            #expect(history[0].reason == "Marked present by mistake")
        }
    }

    @Test func onlyTheHeadAuthorisesAndATutorUsesRegisterCodes() async throws {
        try await withWebApp { app, store in
            let form = try await Form(store: store)
            let pupil = form.lines[0].pupil.upn
            var tutor = try await Browser.signedIn(app, as: .formTutor)
            try await tutor.get(form.path)
            let illness = try await tutor.post(form.path, form.fields([pupil: ["mark": "other", "other": "I"]]))
            #expect(illness.status == .unprocessableEntity)
            #expect(
                illness.body.string.contains(
                    "Only the head teacher decides whether an absence is authorised or unauthorised (I)"))
            try await tutor.get(form.path)
            let visit = try await tutor.post(form.path, form.fields([pupil: ["mark": "other", "other": "V"]]))
            #expect(visit.body.string.contains("recorded by the attendance office"))
            #expect(try await codes(store, form).isEmpty)  // all or nothing: no mark was written
            var office = try await Browser.signedIn(app, as: .attendanceAdministrator)
            try await office.get(form.path)
            #expect(
                try await office.post(form.path, form.fields([pupil: ["mark": "other", "other": "I"]])).status
                    == .unprocessableEntity)
            try await office.get(form.path)
            #expect(
                try await office.post(form.path, form.fields([pupil: ["mark": "other", "other": "V"]])).status
                    == .seeOther)
            var head = try await Browser.signedIn(app, as: .headTeacher)
            try await head.get(form.path)
            let seen = try await codes(store, form).compactMapValues { $0 }
            let authorised = try await head.post(
                form.path, form.fields([pupil: ["mark": "other", "other": "I"]], seen: seen, reason: "Doctor's note"))
            #expect(authorised.status == .seeOther)
            #expect(try await codes(store, form)[pupil] == "I")
        }
    }

    @Test func plannedMarksAreShownAndNotOverwrittenByTheTutor() async throws {
        try await withWebApp { app, store in
            let form = try await Form(store: store)
            let away = form.lines[1]
            try await store.registers.writeMarks(
                [
                    MarkEntry(
                        pupilID: away.pupilID, schoolID: form.schoolID,
                        mark: Mark(upn: away.pupil.upn, session: form.session, code: "H"))
                ],
                by: AuditActor("head@demo.example"), reason: nil)
            var tutor = try await Browser.signedIn(app, as: .formTutor)
            let page = try await tutor.get(form.path + "?fill=present").body.string
            #expect(page.contains("Planned: H – Family holiday (agreed)"))
            #expect(!page.contains("name=\"mark-\(away.pupil.upn)\""))
            // The rest save around it; a forged field for the planned pupil is refused.
            let saved = try await tutor.post(form.path, form.fields().filter { $0.key != "mark-\(away.pupil.upn)" })
            #expect(saved.status == .seeOther)
            #expect(try await codes(store, form)[away.pupil.upn] == "H")
            try await tutor.get(form.path)
            let forged = try await tutor.post(
                form.path, form.fields(seen: try await codes(store, form).compactMapValues { $0 }, reason: "x"))
            #expect(forged.status == .unprocessableEntity)
            #expect(try await codes(store, form)[away.pupil.upn] == "H")
        }
    }

    @Test func twoPeopleSavingAtOnceLoseNothing() async throws {
        try await withWebApp { app, store in
            let form = try await Form(store: store)
            var tutor = try await Browser.signedIn(app, as: .formTutor)
            try await tutor.get(form.path)  // the tutor's page: nothing recorded yet
            let pupil = form.lines[2].pupil.upn
            var office = try await Browser.signedIn(app, as: .attendanceAdministrator)
            try await office.get(form.path)
            try await office.post(
                form.path, [:].merging(["mark-\(pupil)": "absent", "seen-\(pupil)": ""]) { a, _ in a })
            #expect(try await codes(store, form)[pupil] == "N")
            // The tutor saves the whole form as they saw it: everyone else is saved, the office's mark is kept.
            let response = try await tutor.post(form.path, form.fields(seen: [:]))
            #expect(response.status == .conflict)
            let html = response.body.string
            #expect(html.contains("Someone else saved this register"))
            #expect(html.contains("office@demo.example had recorded N"))
            let after = try await codes(store, form)
            #expect(after[pupil] == "N")
            #expect(after.filter { $0.key != pupil }.values.allSatisfy { $0 == "/" })
        }
    }

    @Test func theLateBookAndTheOfficeDay() async throws {
        try await withWebApp { app, store in
            let form = try await Form(store: store)
            let pupil = form.lines[0].pupil.upn
            var office = try await Browser.signedIn(app, as: .attendanceAdministrator)
            let missing = try await office.get("/schools/\(mainSchool)/office").body.string
            #expect(missing.contains("\(form.group) morning: \(form.lines.count) without a mark"))
            #expect(missing.contains("Form tutor: Sioned Parry"))
            let book = try await office.get("/schools/\(mainSchool)/late-book").body.string
            let listed = LateBookPage.choiceText(form.lines[0].pupil)
            #expect(book.contains("<option value=\"\(listed)\">"))
            let recorded = try await office.post(
                "/schools/\(mainSchool)/late-book", ["pupil": listed, "date": testToday.iso, "arrival": "09:30"])
            #expect(recorded.status == .ok)
            #expect(recorded.body.string.contains("recorded as U, 45 minutes late"))
            #expect(recorded.body.string.contains(">09:30</td>"))  // in the day's arrivals
            #expect(try await codes(store, form)[pupil] == "U")
            // Not on roll, a day to come, a Sunday: refused, with what was typed kept.
            for (who, day) in [("B801200005001", testToday.iso), (listed, "2026-11-26"), (listed, "2026-11-22")] {
                let bad = try await office.post(
                    "/schools/\(mainSchool)/late-book", ["pupil": who, "date": day, "arrival": "09:30"])
                #expect(bad.status == .unprocessableEntity, "\(who) \(day)")
                #expect(bad.body.string.contains("value=\"09:30\""))
            }
            // Today's N list shows contacts in priority order.
            try await store.registers.writeMarks(
                [
                    MarkEntry(
                        pupilID: form.lines[1].pupilID, schoolID: form.schoolID,
                        mark: Mark(upn: form.lines[1].pupil.upn, session: form.session, code: "N"))
                ],
                by: AuditActor("tutor@demo.example"), reason: nil)
            let day = try await office.get("/schools/\(mainSchool)/office").body.string
            let contacts = try await store.contacts.contacts(of: form.lines[1].pupil.upn)
            #expect(day.contains(form.lines[1].pupil.upn.value))
            #expect(day.contains(contacts[0].name))
        }
    }

    @Test func thePrintedRegisterLooksLikeARegister() async throws {
        try await withWebApp { app, store in
            let form = try await Form(store: store)
            var tutor = try await Browser.signedIn(app, as: .formTutor)
            let html = try await tutor.get("/registers/\(mainSchool)/\(form.group)/print?from=2026-11-16&to=2026-11-20")
                .body.string
            #expect(html.contains("Register of attendance: \(form.group)"))
            #expect(html.contains("LA 665, establishment 4001"))
            #expect(html.contains("Monday 16 November 2026 to Friday 20 November 2026"))
            #expect(html.components(separatedBy: "<th scope=\"colgroup\" colspan=\"2\">").count == 6)  // five days
            for line in form.lines { #expect(html.contains(line.pupil.upn.value)) }
            let csv = try await tutor.get(
                "/registers/\(mainSchool)/\(form.group)/print?from=2026-11-16&to=2026-11-20&format=csv")
            let rows = csv.body.string.split(separator: "\n")
            #expect(rows[0].hasPrefix("upn,surname,forename,2026-11-16 AM,2026-11-16 PM"))
            #expect(rows.count == form.lines.count + 1)
            let week = DateRange(LocalDate(iso: "2026-11-16")!, LocalDate(iso: "2026-11-20")!)!
            let first = form.lines[0].pupil.upn
            let (_, summary) = try await store.registers.summary(of: first, in: week)
            let row = rows.first { $0.hasPrefix(first.value) }!.split(separator: ",", omittingEmptySubsequences: false)
            #expect(Int(row[row.count - 4]) == summary.possible)
            #expect(Int(row[row.count - 1]) == summary.unauthorised)
        }
    }
}

extension RegisterTests {
    /// A register's day: one tap to the school day before; a Sunday or a day to come says so with no Save button;
    /// a form with nobody on roll or a date that is not one is "not found" with a sentence saying which.
    @Test func aRegisterSaysPlainlyWhenItCannotBeTakenAndMovesBetweenSchoolDays() async throws {
        try await withWebApp { app, store in
            let form = try await Form(store: store)
            var tutor = try await Browser.signedIn(app, as: .formTutor)
            let base = "/registers/\(mainSchool)/\(form.group)"
            let today = try await tutor.get(form.path).body.string
            #expect(today.contains("href=\"\(base)/2026-11-24/AM\" rel=\"prev\""))
            #expect(!today.contains("rel=\"next\""))  // tomorrow has not come
            #expect(today.contains("id=\"save-register\"") && today.contains("id=\"all-present\""))
            // A form tutor has the register's own codes only: present, late, absent, and no "Other".
            #expect(!today.contains("value=\"other\"") && !today.contains("<select"))
            let monday = try await tutor.get("\(base)/2026-11-23/AM").body.string
            #expect(monday.contains("href=\"\(base)/2026-11-20/AM\" rel=\"prev\""))
            #expect(monday.contains("href=\"\(base)/2026-11-24/AM\" rel=\"next\""))
            for (day, words) in [("2026-11-22", "is not a school day"), ("2026-11-26", "has not come yet")] {
                let page = try await tutor.get("\(base)/\(day)/AM")
                #expect(page.status == .ok)
                #expect(page.body.string.contains(words), "\(day)")
                #expect(!page.body.string.contains("save-register") && !page.body.string.contains("class=\"register\""))
            }
            // The day picker lands on the same register for the day picked.
            let picked = try await tutor.get(form.path + "?date=2026-11-20")
            #expect(picked.status == .seeOther && picked.headers.first(name: .location) == "\(base)/2026-11-20/AM")
            var head = try await Browser.signedIn(app, as: .headTeacher)
            let unknown = try await head.get("/registers/\(mainSchool)/7Z/\(testToday)/AM")
            #expect(unknown.status == .notFound && unknown.body.string.contains("no such form at this school"))
            let badDate = try await head.get("\(base)/2026-13-45/AM")
            #expect(badDate.status == .badRequest && badDate.body.string.contains("does not name a date"))
            let badSession = try await head.get("\(base)/\(testToday)/XX")
            #expect(badSession.status == .notFound && badSession.body.string.contains("morning or afternoon"))
            // A head may enter planned absences ahead: the day to come is open to them, saying so.
            let ahead = try await head.get("\(base)/2026-11-26/AM").body.string
            #expect(ahead.contains("only planned absences") && ahead.contains("save-register"))
            // The office and the head choose other codes by name, never either half's present code.
            #expect(ahead.contains("value=\"other\"") && ahead.contains("<option value=\"I\">I – Illness"))
            #expect(!ahead.contains("<option value=\"\\\"") && !ahead.contains("<option value=\"/\""))
        }
    }

    @Test func theRegistersListSaysWhoTookEachRegisterAndWhen() async throws {
        try await withWebApp { app, store in
            let form = try await Form(store: store)
            var tutor = try await Browser.signedIn(app, as: .formTutor)
            try await tutor.get(form.path)
            try await tutor.post(form.path, form.fields())
            let list = try await tutor.get("/registers?date=\(testToday)").body.string
            #expect(list.contains("Register taken (morning) — change"))
            // The marks record who recorded them by their sign-in.
            #expect(list.contains("first marks by Sioned Parry at "))
            // The test clock says 23:59, long after the register closed.
            #expect(list.contains("taken after the register closed at"))
            #expect(list.contains("Take afternoon register"))
        }
    }
}

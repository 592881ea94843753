import AttendanceCore
import AttendanceLetters
import Foundation
import Testing
import VaporTesting

@testable import AttendanceStore
@testable import AttendanceWeb

/// Issue 31, points 10 and 11: leave is asked before it is taken, and an extended absence takes the pupil off
/// the roll.
@Suite struct CaseworkLeaveTests {
    /// 11. "Leave is asked before it is taken": a request for last month was accepted, agreed, counted and a
    /// decision letter sent. Refused now, by the API and on the store, naming the field; a request from today is
    /// still taken.
    @Test(arguments: WebTestDatabase.available)
    func aRequestWhoseFirstDayHasPassedIsRefused(_ database: WebTestDatabase) async throws {
        try await withWebApp(on: database) { app, store in
            let tokens = LeaveTests()
            let parent = try await tokens.token(store, "parent@demo.example")
            let child = try #require(try await store.identity.user(email: "parent@demo.example")?.grants.first?.child)
            let (status, body) = try await tokens.call(
                app, .POST, "/api/pupils/\(child)/leave-requests", token: parent,
                body: #"{"from":"2026-10-12","to":"2026-10-16","reason":"A week away","details":""}"#)
            #expect(status == .unprocessableEntity)
            #expect(String(describing: body).contains("from"))
            #expect(try await store.leave.leaveRequests(of: child).isEmpty)
            await #expect(throws: StoreError.leave(.alreadyBegun)) {
                _ = try await store.leave.requestLeave(
                    for: child, dates: DateRange(LocalDate(iso: "2026-11-24")!, LocalDate(iso: "2026-11-26")!)!,
                    reason: "Started yesterday", category: nil, details: "", siblings: "", today: testToday,
                    by: AuditActor("parent@demo.example"))
            }
            let (fromToday, _) = try await tokens.call(
                app, .POST, "/api/pupils/\(child)/leave-requests", token: parent,
                body: #"{"from":"2026-11-25","to":"2026-11-27","reason":"A funeral","details":""}"#)
            #expect(fromToday == .created)
        }
    }

    /// 10. "The Head Teacher will remove the child from their school roll if a parent requests … longer than four
    /// continuous weeks, including exceptional circumstances" and a pupil is not removed "until the pupil has been
    /// admitted to another school/PRU or until the CME document has been completed and recorded by the LA".
    @Test(arguments: WebTestDatabase.available)
    func anExtendedAbsenceIsRemovalFromItsFirstDayOnceTheAuthorityHasRecordedIt(_ database: WebTestDatabase)
        async throws
    {
        try await withWebApp(on: database) { app, store in
            let pupil = try #require(
                try await onRollToday(store).first {
                    CompulsorySchoolAge(dateOfBirth: $0.dateOfBirth).isOfCompulsorySchoolAge(on: testToday)
                })
            let head = AuditActor("head@demo.example")
            let away = DateRange(LocalDate(iso: "2027-01-11")!, LocalDate(iso: "2027-02-26")!)!
            let request = try await store.leave.requestLeave(
                for: pupil.upn, dates: away, reason: "Seven weeks abroad", category: .compassionate, details: "",
                siblings: "", today: testToday, by: AuditActor("parent@demo.example"))
            var headBrowser = try await Browser.signedIn(app, as: .headTeacher)
            let queue = try await headBrowser.get(SiteURL.school(.leaveQueue, mainSchool)).body.string
            #expect(queue.contains("value=\"off_roll\"") && !queue.contains("value=\"agreed\""))
            let decide = SiteURL.school(.decideLeave, mainSchool, id: request.id)
            let agreed = try await headBrowser.post(
                decide, ["decision": "agreed", "from": away.start.iso, "to": away.end.iso, "reason": "Exceptional"])
            #expect(agreed.status == .unprocessableEntity)
            #expect(try await store.leave.leaveRequest(request.id)?.status == .pending)
            let removal = try await headBrowser.post(
                decide, ["decision": "off_roll", "reason": "More than four weeks"])
            #expect(removal.status == .seeOther)
            #expect(try await store.leave.leaveRequest(request.id)?.status == .offRoll)
            // The letter tells the parent the pupil comes off the roll and to reapply for a place.
            let letter = try #require(
                try await store.letters.letters(of: pupil.upn).first { $0.kind == .holidayDecision })
            let html = try #require(try await store.letters.letter(id: letter.id)?.html)
            #expect(html.contains("apply for a place again") || html.contains("wneud cais am le eto"))
            // Not off the roll until the authority's CME document is recorded, whatever the school tries.
            var office = try await Browser.signedIn(app, as: .attendanceAdministrator)
            try await office.get(SiteURL.pupil(pupil.upn))
            let takeOff = SiteURL.schoolPupil(.takeOffRoll, mainSchool, pupil.upn)
            let early = try await office.post(takeOff, ["day": testToday.iso, "ground": "extended_absence"])
            #expect(early.status.code >= 400 && early.status.code < 500)
            #expect(try await onRollToday(store).contains { $0.upn == pupil.upn })
            // The authority's list shows the pupil pending; the lead records the CME document.
            var lead = try await Browser.signedIn(app, as: .educationLead)
            #expect(try await lead.get(SiteURL.missingEducation.path()).body.string.contains(pupil.upn.value))
            let found = try await store.roll.referMissingEducation(
                pupil.upn, school: mainSchool, reason: "Extended absence abroad", on: testToday, by: head)
            try await store.roll.completeMissingEducation(
                found.id, outcome: .movedAbroad, school: nil, on: testToday, by: AuditActor("lead@demo.example"))
            let done = try await office.post(takeOff, ["day": testToday.iso, "ground": "extended_absence"])
            #expect(done.status == .seeOther)
            // Off the roll from the first day of the absence, whatever day was typed.
            let deletion = try #require(
                try await store.roll.rollDeletions(since: away.start).first { $0.upn == pupil.upn })
            #expect(deletion.offRollOn == away.start && deletion.ground == .extendedAbsence)
        }
    }
}

extension CaseworkLeaveTests {
    /// 12. "Figures are as of today": the leave page showed a pupil at 99.2% where every other page said 100.0%,
    /// because a confirmed future absence was counted. After absences recorded ahead of time, the pupil page, the
    /// leave queue, the API (asked up to the end of the year) and a letter give the one figure, to today.
    @Test(arguments: WebTestDatabase.available)
    func everyPageGivesThePupilsFigureAsOfToday(_ database: WebTestDatabase) async throws {
        try await withWebApp(on: database) { app, store in
            let child = try #require(try await store.identity.user(email: "parent@demo.example")?.grants.first?.child)
            let monday = LocalDate(iso: "2026-11-30")!
            // An appointment the parent told the school about, recorded ahead, and leave asked for after it.
            try await store.registers.writeMarks(
                [SessionHalf.am, .pm].flatMap { half in
                    [monday, monday.adding(days: 1)].map {
                        SchoolMark(
                            school: mainSchool, mark: Mark(upn: child, session: SchoolSession($0, half), code: "M"))
                    }
                }, by: AuditActor("office@demo.example"), reason: "appointment letter seen")
            _ = try await store.leave.requestLeave(
                for: child, dates: DateRange(LocalDate(iso: "2026-12-07")!, LocalDate(iso: "2026-12-08")!)!,
                reason: "A funeral", category: .compassionate, details: "", siblings: "", today: testToday,
                by: AuditActor("parent@demo.example"))
            let (_, truth) = try await store.registers.summary(of: child, in: DateRange.yearToDate(testToday))
            let (_, ahead) = try await store.registers.summary(
                of: child, in: DateRange(testToday.academicYear.firstDay, monday.adding(days: 1))!)
            let right = try #require(truth.attendancePercentText)
            let wrong = try #require(ahead.attendancePercentText)
            #expect(right != wrong, "the planned absences must change the figure for this test to mean anything")

            var head = try await Browser.signedIn(app, as: .headTeacher)
            let pupilPage = try await head.get(SiteURL.pupil(child)).body.string
            #expect(pupilPage.contains(right) && !pupilPage.contains(wrong))
            let queue = try await head.get(SiteURL.school(.leaveQueue, mainSchool)).body.string
            #expect(queue.contains(right) && !queue.contains(wrong))
            // The report of the pupils a reader has (here the parent's home page): the child's own row.
            var parentBrowser = try await Browser.signedIn(app, as: .parent)
            let report = try await parentBrowser.get("/").body.string
            let row =
                report.components(separatedBy: "href=\"\(SiteURL.pupil(child))\"").dropFirst().first?
                .components(separatedBy: "</tr>").first ?? ""
            #expect(row.contains(">\(right)</td>"), "\(row)")
            let parent = try await LeaveTests().token(store, "parent@demo.example")
            let (status, body) = try await LeaveTests().call(
                app, .GET, "/api/pupils/\(child)/summary?to=2027-07-20", token: parent)
            #expect(status == .ok)
            let percent = try #require((body as? [String: Any])?["attendance_percent"] as? Double)
            #expect(String(format: "%.1f%%", percent) == right)
            let facts = try await app.context.letters.facts(
                child, school: try await store.reference.requireSchool(mainSchool).school, today: testToday,
                signatory: "Head")
            #expect(facts.summary.attendancePercentText == right)
        }
    }
}

extension CaseworkLeaveTests {
    /// 13. "A parent's report cannot be lost": the form offers the next school days (no weekend or holiday); a
    /// report for a Sunday is refused at the top of the page, saying "Sunday 29 November is not a school day", with
    /// what the parent typed kept; the Monday chosen from the offer goes.
    @Test(arguments: WebTestDatabase.available)
    func aParentsReportForASundayIsRefusedAtTheTopAndKept(_ database: WebTestDatabase) async throws {
        try await withWebApp(on: database) { app, store in
            let child = try #require(try await store.identity.user(email: "parent@demo.example")?.grants.first?.child)
            var parent = try await Browser.signedIn(app, as: .parent)
            let page = try await parent.get(SiteURL.pupil(child) + "?lang=en").body.string
            let offered =
                page.components(separatedBy: "id=\"report-day\"").last?
                .components(separatedBy: "</select>").first ?? ""
            #expect(offered.contains("value=\"2026-11-30\"") && offered.contains("Monday 30 November"))
            #expect(!offered.contains("Saturday") && !offered.contains("Sunday"))
            let path = SiteURL.reportAbsence.path(["upn": child.value])
            let refused = try await parent.post(
                path + "?lang=en",
                [
                    "day": "2026-11-30", "from": "2026-11-29", "part": "whole", "reason": "medical",
                    "note": "Dentist at 10, letter to follow",
                ])
            #expect(refused.status == .unprocessableEntity)
            let html = refused.body.string
            let error = try #require(html.range(of: "Sunday 29 November is not a school day"))
            let firstSection = try #require(html.range(of: "<h2"))
            #expect(error.lowerBound < firstSection.lowerBound, "the refusal is at the top, where the parent looks")
            #expect(html.contains(">Dentist at 10, letter to follow</textarea>"))
            #expect(html.contains("value=\"2026-11-29\"") && html.contains("<option value=\"medical\" selected>"))
            #expect(try await store.leave.absenceReports(of: child).isEmpty)
            let sent = try await parent.post(
                path, ["day": "2026-11-30", "from": "", "part": "whole", "reason": "medical", "note": "Dentist at 10"])
            #expect(sent.status == .seeOther)
            #expect(
                try await store.leave.absenceReports(of: child).map(\.dates.start) == [LocalDate(iso: "2026-11-30")!])
        }
    }
}

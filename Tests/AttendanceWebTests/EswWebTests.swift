import AttendanceCore
import AttendanceLetters
import Foundation
import Testing
import VaporTesting

@testable import AttendanceStore
@testable import AttendanceWeb

/// The ESW pages: the office refers from the pupil's page, the Education Lead allocates from the inbox with what
/// the record shows, the school's ESW finds the case in their caseload, logs a visit and closes it; the referral
/// letter made by the procedure's queue arrives in the inbox too.
@Suite struct EswWebTests {
    @Test func fromTheSchoolsReferralToTheEswsClosedCase() async throws {
        try await withWebApp { app, store in
            let pupil = try #require(try await onRollToday(store).first)
            var office = try await Browser.signedIn(app, as: .attendanceAdministrator)
            let page = try await office.get(SiteURL.pupil(pupil.upn)).body.string
            #expect(page.contains("id=\"esw-referral\""))
            let refer = SiteURL.schoolPupil(.referToEsw, mainSchool, pupil.upn)
            #expect(try await office.post(refer, ["notes": ""]).status == .unprocessableEntity)
            let referred = try await office.post(
                refer, ["notes": "Letters 1 and 2 unanswered; no reply to calls", "concerns": "Young carer"])
            #expect(referred.status == .seeOther)
            let after = try await office.get(SiteURL.pupil(pupil.upn, query: ["saved": "esw"])).body.string
            #expect(
                after.contains("in the authority&#39;s ESW inbox") || after.contains("in the authority's ESW inbox"))
            #expect(!after.contains("id=\"esw-referral\""))  // one open case at a time
            let found = try #require(try await store.esw.eswCases(of: pupil.upn).first)
            #expect(found.status == .referred && found.source == .school)

            // The lead sees it under the school's area with the record's figures and allocates it to the demo ESW.
            var lead = try await Browser.signedIn(app, as: .educationLead)
            let inbox = try await lead.get(SiteURL.eswInbox.path()).body.string
            for words in ["Letters 1 and 2 unanswered", "Young carer", "School year so far", pupil.displayName] {
                #expect(inbox.contains(words), "\(words)")
            }
            let allocate = SiteURL.school(.allocateEsw, mainSchool, id: found.id)
            let wrong = try await lead.post(allocate, ["to": "head@demo.example"])
            #expect(wrong.status == .unprocessableEntity && wrong.body.string.contains("Only an ESW"))
            #expect(try await lead.post(allocate, ["to": "esw@demo.example"]).status == .seeOther)

            // The ESW finds it in the caseload, opens it with the school's timeline, logs a visit and closes it.
            var esw = try await Browser.signedIn(app, as: .educationSocialWorker)
            let caseload = try await esw.get(SiteURL.eswCaseload.path()).body.string
            let casePath = SiteURL.school(.eswCase, mainSchool, id: found.id)
            #expect(caseload.contains(casePath))
            let opened = try await esw.get(casePath).body.string
            #expect(
                opened.contains("What the school did this school year")
                    && opened.contains("class=\"stacked esw-entry\""))
            let log = SiteURL.school(.logEsw, mainSchool, id: found.id)
            #expect(
                try await esw.post(log, ["kind": "home_visit", "on": testToday.iso, "with": "", "outcome": "x"]).status
                    == .unprocessableEntity)
            let logged = try await esw.post(
                log,
                [
                    "kind": "home_visit", "on": testToday.iso, "with": "Mother", "outcome": "Agreed to walk him in",
                    "next_step": "Call the school", "next_step_on": testToday.adding(days: 7).iso,
                ])
            #expect(logged.status == .seeOther)
            let logPage = try await esw.get(casePath).body.string
            #expect(logPage.contains("Home visit on \(testToday.readable(.en)) with Mother: Agreed to walk him in"))
            // A six-week plan begun two weeks ago: both weeks reviewed with their attendance from the register; the
            // outcome waits for the end.
            let planStart = testToday.adding(days: -14)
            #expect(
                try await esw.post(
                    SiteURL.school(.startPlan, mainSchool, id: found.id),
                    [
                        "start": planStart.iso, "target": "95", "school_actions": "", "family_actions": "x",
                        "pupil_actions": "y",
                    ]
                ).status == .unprocessableEntity)
            #expect(
                try await esw.post(
                    SiteURL.school(.startPlan, mainSchool, id: found.id),
                    [
                        "start": planStart.iso, "target": "95", "school_actions": "Morning check-in",
                        "family_actions": "Walk to school", "pupil_actions": "Arrive by 8:40",
                    ]
                ).status == .seeOther)
            let review = SiteURL.school(.reviewPlan, mainSchool, id: found.id)
            for week in ["1", "2"] {
                #expect(try await esw.post(review, ["week": week, "note": "Seen at school"]).status == .seeOther)
            }
            #expect(try await esw.post(review, ["week": "3", "note": ""]).status == .unprocessableEntity)
            let plan = try #require(try await store.esw.improvementPlans(case: found.id).last)
            let (_, firstWeek) = try await store.registers.summary(of: pupil.upn, in: plan.week(1)!)
            #expect(plan.reviews.map(\.week) == [1, 2] && plan.reviews[0].percent == firstWeek.attendancePercentText)
            let planPage = try await esw.get(casePath).body.string
            #expect(
                planPage.contains("aiming for 95% attendance") && !planPage.contains("class=\"stacked plan-outcome\""))
            let pupilPage = try await office.get(SiteURL.pupil(pupil.upn)).body.string
            #expect(pupilPage.contains("Attendance Improvement Plan \(planStart.readable(.en))"))
            // A panel today: the invitation goes to the parents; they do not come and give no notice, so the second
            // invitation is made with its own day, and a visit becomes the next step.
            let schedule = SiteURL.school(.schedulePanel, mainSchool, id: found.id)
            #expect(
                try await esw.post(
                    schedule, ["on": testToday.adding(days: -1).iso, "time": "10:00", "place": "x", "members": "y"]
                )
                .status == .unprocessableEntity)
            #expect(
                try await esw.post(
                    schedule,
                    [
                        "on": testToday.iso, "time": "10:00", "place": "Guildhall, Wrexham",
                        "members": "ESW, head of year",
                    ]
                ).status == .seeOther)
            let letters = { try await store.letters.letters(of: pupil.upn).map(\.kind) }
            #expect(try await letters().contains(.panelInvitation))
            let panel = try #require(try await store.esw.attendancePanels(case: found.id).first)
            let attendance = SiteURL.panelAttendance.path([
                "laestab": mainSchool.description, "id": String(found.id), "panel": String(panel.id),
            ])
            let noSecond = try await esw.post(attendance, ["attendance": "absent_without_notice"])
            #expect(noSecond.status == .unprocessableEntity && noSecond.body.string.contains("second invitation"))
            #expect(
                try await esw.post(
                    attendance,
                    [
                        "attendance": "absent_without_notice", "second_on": testToday.adding(days: 7).iso,
                        "second_time": "10:00", "second_place": "Guildhall, Wrexham",
                    ]
                ).status == .seeOther)
            #expect(try await letters().contains(.panelSecondInvitation))
            let panels = try await esw.get(casePath).body.string
            #expect(panels.contains("Home visit: the parents missed the panel without notice"))
            #expect(panels.contains("Panel (second invitation): \(testToday.adding(days: 7).readable(.en))"))
            // A case of another school cannot be worked through this school's address.
            let elsewhere = try #require(
                try await store.reference.roll(
                    of: try await store.reference.requireSchool(allocatedSchool).id,
                    in: DateRange(testToday, testToday)!
                ).first?.pupil)
            let foreign = try await store.esw.referToEsw(
                elsewhere.upn, school: allocatedSchool, source: .school, notes: "x", concerns: "", on: testToday,
                by: AuditActor("office@demo.example"))
            _ = try await store.esw.allocateEswCase(
                foreign.id, to: "esw@demo.example", by: AuditActor("lead@demo.example"))
            for action in [SiteURL.logEsw, .closeEsw] {
                let crafted = try await esw.post(
                    SiteURL.school(action, mainSchool, id: foreign.id),
                    [
                        "kind": "call", "on": testToday.iso, "with": "Mother", "outcome": "x", "reason": "x",
                    ])
                #expect(crafted.status == .notFound)
            }
            #expect(try await store.esw.requireEswCase(foreign.id).events.count == 2)
            let close = SiteURL.school(.closeEsw, mainSchool, id: found.id)
            #expect(
                try await esw.post(close, ["outcome": "improved", "reason": "96% since the visit"]).status == .seeOther)
            #expect(try await store.esw.requireEswCase(found.id).status == .closed)
            // Closed, it takes no more entries: said on the page, with 409.
            #expect(
                try await esw.post(
                    log, ["kind": "call", "on": testToday.iso, "with": "Mother", "outcome": "No answer"]
                ).status == .conflict)

            // The referral letter made for the procedure's referral puts the pupil in the inbox too.
            let other = try #require(try await onRollToday(store).first { $0.upn != pupil.upn })
            // (The referral follows the meeting invitation, as the procedure has it.)
            _ = try await app.context.letters.produce(
                .meetingInvitation, for: other.upn, school: mainSchool,
                details: [
                    "meeting_date": testToday.adding(days: 7).iso, "meeting_time": "10:00", "meeting_place": "Room 1",
                ],
                today: testToday, by: AuditActor("office@demo.example"), signatory: "Office")
            #expect(try await store.esw.eswCases(of: other.upn).isEmpty)
            _ = try await app.context.letters.produce(
                .eswReferral, for: other.upn, school: mainSchool, details: [:], today: testToday,
                by: AuditActor("office@demo.example"), signatory: "Office")
            #expect(try await store.esw.eswCases(of: other.upn).first?.status == .referred)
        }
    }

    /// The Education Lead names the demo ESW a senior ESW on the users page: they then see the inbox for their own
    /// schools only and allocate there; another school's referral is refused them; un-named, the inbox is closed.
    @Test func aSeniorEswAllocatesTheirSchoolsReferrals() async throws {
        try await withWebApp { app, store in
            let eswUser = try #require(try await store.identity.user(email: "esw@demo.example"))
            var lead = try await Browser.signedIn(app, as: .educationLead)
            let named = try await lead.post(SiteURL.user(.delegate, eswUser.id), ["on": "1"])
            #expect(named.status == .ok && named.body.string.contains("now allocates and returns the referrals"))
            #expect(
                try await store.identity.user(email: "esw@demo.example")?.grants.allSatisfy(\.allocatesReferrals)
                    == true)
            let ours = try #require(try await onRollToday(store).first)
            let theirs = try #require(
                try await store.reference.roll(
                    of: try await store.reference.requireSchool(otherSchool).id, in: DateRange(testToday, testToday)!
                ).first?.pupil)
            let office = AuditActor("office@demo.example")
            let mine = try await store.esw.referToEsw(
                ours.upn, school: mainSchool, source: .school, notes: "Ours", concerns: "", on: testToday, by: office)
            let other = try await store.esw.referToEsw(
                theirs.upn, school: otherSchool, source: .school, notes: "Theirs", concerns: "", on: testToday,
                by: office)
            var esw = try await Browser.signedIn(app, as: .educationSocialWorker)
            let inbox = try await esw.get(SiteURL.eswInbox.path())
            #expect(inbox.status == .ok)
            #expect(inbox.body.string.contains(ours.legalSurname) && !inbox.body.string.contains(theirs.legalSurname))
            #expect(
                try await esw.post(SiteURL.school(.allocateEsw, otherSchool, id: other.id), ["to": "esw@demo.example"])
                    .status == .forbidden)
            #expect(
                try await esw.post(SiteURL.school(.allocateEsw, mainSchool, id: mine.id), ["to": "esw@demo.example"])
                    .status == .seeOther)
            #expect(try await store.esw.requireEswCase(mine.id).allocatedTo == "esw@demo.example")
            #expect(try await store.esw.requireEswCase(other.id).status == .referred)
            #expect(try await lead.post(SiteURL.user(.delegate, eswUser.id), ["on": "0"]).status == .ok)
            var again = try await Browser.signedIn(app, as: .educationSocialWorker)
            #expect(try await again.get(SiteURL.eswInbox.path()).status == .forbidden)
        }
    }
}

import AttendanceCore
import AttendanceInterop
import Foundation
import SQLKit
import Testing

@testable import AttendanceStore

/// A referral to the ESW service from the school to its close, on both databases, with its guards.
extension StoreTests {
    @Test(arguments: TestDatabase.available)
    func aReferralIsAllocatedLoggedAndClosedOrReturned(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await loadFixture(store)
            let office = AuditActor("office@example.org"), lead = AuditActor("lead@example.org")
            try await store.identity.createUser(
                email: "esw@example.org", displayName: "Eira", passwordHash: "h", mustChangePassword: false,
                grants: [RoleGrant(role: .educationSocialWorker, school: school)], by: lead)
            try await store.identity.createUser(
                email: "hoy@example.org", displayName: "Huw", passwordHash: "h", mustChangePassword: false,
                grants: [RoleGrant(role: .headOfYear, school: school, yearGroups: ["7"])], by: lead)
            let day = LocalDate(iso: "2026-02-02")!
            let referred = try await store.esw.referToEsw(
                alys, school: school, source: .school, notes: "Two letters unanswered", concerns: "Young carer",
                on: day, by: office)
            #expect(referred.status == .referred && referred.events.map(\.step) == ["refer"])
            // Referring again while the case is open gives the same case.
            #expect(
                try await store.esw.referToEsw(
                    alys, school: school, source: .procedure, notes: "", concerns: "", on: day, by: office
                ).id == referred.id)
            // Only an ESW who works at the school takes the case; nothing but allocation or return follows.
            await #expect(throws: StoreError.esw(.notTheSchoolsEsw)) {
                _ = try await store.esw.allocateEswCase(referred.id, to: "hoy@example.org", by: lead)
            }
            await #expect(throws: StoreError.esw(.notNow(.referred, .log))) {
                _ = try await store.esw.logEswEntry(
                    referred.id, kind: .call, on: day, with: "Mother", outcome: "No answer", nextStep: nil,
                    nextStepOn: nil, by: lead)
            }
            #expect(try await store.esw.eswWorkers(at: school).map(\.email) == ["esw@example.org"])
            let allocated = try await store.esw.allocateEswCase(referred.id, to: "esw@example.org", by: lead)
            #expect(allocated.status == .allocated && allocated.allocatedTo == "esw@example.org")
            let esw = AuditActor("esw@example.org")
            // A next step before the visit it follows is refused; the log keeps each entry with its next step.
            await #expect(throws: StoreError.esw(.nextStepBeforeEntry)) {
                _ = try await store.esw.logEswEntry(
                    referred.id, kind: .homeVisit, on: day.adding(days: 3), with: "Mother", outcome: "Seen",
                    nextStep: "Call", nextStepOn: day, by: esw)
            }
            let logged = try await store.esw.logEswEntry(
                referred.id, kind: .homeVisit, on: day.adding(days: 3), with: "Mother and Alys",
                outcome: "Agreed a plan", nextStep: "Review at school", nextStepOn: day.adding(days: 10), by: esw)
            #expect(logged.nextStep == "Review at school" && logged.nextStepOn == day.adding(days: 10))
            #expect(logged.events.last?.data["kind"] == "home_visit")
            // A six-week plan from Monday 5 January: each week reviewed once it is over, with its attendance from the
            // register; the outcome once the six weeks are over; then another plan may start.
            try await store.registers.importMarks(
                try ImportParser.marks(
                    marksCSV([
                        "\(alys),2026-01-05,AM,/,", "\(alys),2026-01-05,PM,\\,", "\(alys),2026-01-06,AM,O,",
                        "\(alys),2026-01-06,PM,O,",
                    ]), codes: .wales2010), school: school, source: "t.csv", authorisesAt: [school])
            let monday = LocalDate(iso: "2026-01-05")!
            await #expect(throws: StoreError.eswPlan(.badTarget)) {
                _ = try await store.esw.startImprovementPlan(
                    case: referred.id, start: monday, targetPercent: 0, schoolActions: "", familyActions: "",
                    pupilActions: "", by: esw)
            }
            let plan = try await store.esw.startImprovementPlan(
                case: referred.id, start: monday, targetPercent: 95, schoolActions: "Daily check-in",
                familyActions: "Walk to school", pupilActions: "Arrive by 8:40", by: esw)
            #expect(plan.end == LocalDate(iso: "2026-02-15")!)
            await #expect(throws: StoreError.eswPlan(.notNow)) {
                _ = try await store.esw.startImprovementPlan(
                    case: referred.id, start: monday, targetPercent: 95, schoolActions: "", familyActions: "",
                    pupilActions: "", by: esw)
            }
            await #expect(throws: StoreError.eswPlan(.notAWeekToReview(1))) {
                _ = try await store.esw.reviewImprovementPlan(
                    plan.id, week: 1, note: "", today: LocalDate(iso: "2026-01-10")!, by: esw)
            }
            let reviewed = try await store.esw.reviewImprovementPlan(
                plan.id, week: 1, note: "Two days off", today: LocalDate(iso: "2026-01-11")!, by: esw)
            #expect(reviewed.reviews.map(\.week) == [1])
            #expect(reviewed.reviews[0].possible == 4 && reviewed.reviews[0].attended == 2)
            await #expect(throws: StoreError.eswPlan(.notAWeekToReview(1))) {
                _ = try await store.esw.reviewImprovementPlan(
                    plan.id, week: 1, note: "again", today: LocalDate(iso: "2026-01-12")!, by: esw)
            }
            await #expect(throws: StoreError.eswPlan(.notEnded(LocalDate(iso: "2026-02-15")!))) {
                _ = try await store.esw.endImprovementPlan(
                    plan.id, outcome: .improved, next: .close, today: LocalDate(iso: "2026-02-14")!, by: esw)
            }
            let ended = try await store.esw.endImprovementPlan(
                plan.id, outcome: .partly, next: .extend, today: LocalDate(iso: "2026-02-15")!, by: esw)
            #expect(ended.outcome == .partly && ended.nextStep == .extend)
            #expect(
                try await store.esw.startImprovementPlan(
                    case: referred.id, start: LocalDate(iso: "2026-02-16")!, targetPercent: 95, schoolActions: "",
                    familyActions: "", pupilActions: "", by: esw
                ).id != plan.id)
            // A panel: its attendance recorded on or after its day, once; not coming to the first, without notice,
            // needs the second invitation's sitting, makes the next step a visit, and counts as not engaging.
            let panelDay = LocalDate(iso: "2026-02-20")!
            let panel = try await store.esw.schedulePanel(
                case: referred.id, sitting: PanelSitting(on: panelDay, time: "10:00", place: "Guildhall"),
                members: "ESW, head of year", by: esw)
            await #expect(throws: StoreError.eswPanel(.panelNotNow)) {
                _ = try await store.esw.schedulePanel(
                    case: referred.id, sitting: PanelSitting(on: panelDay, time: "11:00", place: "x"), members: "x",
                    by: esw)
            }
            await #expect(throws: StoreError.eswPanel(.notYetHeld)) {
                _ = try await store.esw.recordPanelAttendance(
                    panel.id, .attended, second: nil, today: panelDay.adding(days: -1), by: esw)
            }
            await #expect(throws: StoreError.eswPanel(.secondInvitationNeeded)) {
                _ = try await store.esw.recordPanelAttendance(
                    panel.id, .absentWithoutNotice, second: nil, today: panelDay, by: esw)
            }
            let second = try #require(
                try await store.esw.recordPanelAttendance(
                    panel.id, .absentWithoutNotice,
                    second: PanelSitting(on: panelDay.adding(days: 7), time: "10:00", place: "Guildhall"),
                    today: panelDay, by: esw))
            #expect(second.round == 2 && second.members == "ESW, head of year")
            #expect(try await store.esw.requireEswCase(referred.id).nextStep == "home_visit_after_panel")
            // The panel missed without notice is evidence of not engaging (the penalty notice criterion).
            #expect(try await store.penalties.penaltyEvidence(of: alys, asOf: panelDay).missedMeetings == [panelDay])
            await #expect(throws: StoreError.eswPanel(.noOutcomeNow)) {
                try await store.esw.recordPanelOutcome(panel.id, outcome: "x", by: esw)
            }
            // They came to the second: no third invitation; its outcome is recorded once.
            #expect(
                try await store.esw.recordPanelAttendance(
                    second.id, .attended, second: nil, today: panelDay.adding(days: 7), by: esw) == nil)
            try await store.esw.recordPanelOutcome(second.id, outcome: "Plan extended", by: esw)
            #expect(try await store.esw.attendancePanels(case: referred.id).map(\.outcome) == [nil, "Plan extended"])
            await #expect(throws: StoreError.esw(.noReason)) {
                _ = try await store.esw.closeEswCase(referred.id, outcome: .improved, reason: "", by: esw)
            }
            let closed = try await store.esw.closeEswCase(
                referred.id, outcome: .improved, reason: "Attendance 96% since the plan", by: esw)
            #expect(closed.status == .closed && closed.nextStep == nil)
            #expect(
                closed.events.map(\.step) == [
                    "refer", "allocate", "log", "panel_scheduled", "panel", "panel_scheduled", "panel", "panel_outcome",
                    "close",
                ])
            // The log is the database's to keep: it refuses a change.
            await #expect(throws: (any Error).self) {
                try await store.sql.raw("UPDATE esw_events SET step = 'x'").run()
            }
            // Closed, a new referral opens a new case; one returned to the school says why.
            let again = try await store.esw.referToEsw(
                alys, school: school, source: .school, notes: "", concerns: "", on: day.adding(days: 30), by: office)
            #expect(again.id != referred.id)
            await #expect(throws: StoreError.esw(.noReason)) {
                _ = try await store.esw.returnEswCase(again.id, reason: "", by: lead)
            }
            let returned = try await store.esw.returnEswCase(again.id, reason: "Letters 1 and 2 first", by: lead)
            #expect(returned.status == .returned && returned.events.last?.reason == "Letters 1 and 2 first")
            #expect(try await store.esw.eswCases(schools: [school]).map(\.id) == [again.id, referred.id])
            #expect(try await store.esw.eswCases(schools: []).isEmpty)
        }
    }
}

extension StoreTests {
    /// Nobody leaves the roll without a ground, without the new school for an admission elsewhere, or with the
    /// missing-education enquiries open where the ground needs them complete: by hand or by import, all or nothing.
    @Test(arguments: TestDatabase.available)
    func aDeletionFromTheRollNeedsItsGroundAndCompleteEnquiries(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await loadFixture(store)
            let office = AuditActor("office@example.org"), lead = AuditActor("lead@example.org")
            let day = LocalDate(iso: "2026-02-13")!
            await #expect(throws: StoreError.roll(.noGround)) {
                try await store.roll.removeFromRoll(
                    alys, school: school, on: day, ground: nil, newSchool: nil, by: office)
            }
            await #expect(throws: StoreError.roll(.newSchoolNeeded)) {
                try await store.roll.removeFromRoll(
                    alys, school: school, on: day, ground: .admittedElsewhere, newSchool: nil, by: office)
            }
            await #expect(throws: StoreError.roll(.missingEducationEnquiriesOpen)) {
                try await store.roll.removeFromRoll(
                    alys, school: school, on: day, ground: .whereaboutsUnknown, newSchool: nil, by: office)
            }
            // The import says the same, naming the pupil and the line, and writes nothing.
            let ending =
                "upn,surname,forename,dob,sex,year_group,registration_group,fsm,lac,on_roll_from,on_roll_to,leaving_reason\n"
                + "\(alys),Jones,Alys,2014-03-02,F,7,7A,N,N,2025-09-01,2026-02-13,whereabouts_unknown\n"
                + "\(cai),Ŵyn,Cai,2014-01-09,M,7,7B,N,Y,2025-10-06,2026-02-13,\n"
            do {
                _ = try await store.reference.importPupils(try ImportParser.pupils(ending), school: school)
                Issue.record("the import should have been refused")
            } catch let problems as ImportProblems {
                #expect(problems.problems.map(\.line) == [2, 3])
                #expect(problems.description.contains("\(alys) cannot come off the roll until"))
                #expect(problems.description.contains("\(cai) cannot come off the roll without a ground"))
            }
            #expect(try await store.reference.pupil(alys)?.enrolments.last?.onRollTo == nil)
            #expect(try await store.roll.rollDeletions(since: day).isEmpty)
            // The CME enquiries: referred, an enquiry logged, completed; then the deletion goes through and is on the
            // authority's return.
            let cme = try await store.roll.referMissingEducation(
                alys, school: school, reason: "No contact for 20 school days", on: day, by: office)
            try await store.roll.logMissingEducationEnquiry(
                cme.id, on: day, check: "Health visitor records", with: "Health board", result: "No trace", by: lead)
            await #expect(throws: StoreError.roll(.newSchoolNeeded)) {
                try await store.roll.completeMissingEducation(
                    cme.id, outcome: .foundAtSchool, school: nil, on: day, by: lead)
            }
            try await store.roll.completeMissingEducation(
                cme.id, outcome: .whereaboutsUnknown, school: nil, on: day, by: lead)
            #expect(try await store.roll.requireMissingEducationCase(cme.id).enquiries.map(\.result) == ["No trace"])
            _ = try await store.reference.importPupils(
                try ImportParser.pupils(ending.replacingOccurrences(of: "2026-02-13,\n", with: "2026-02-13,died\n")),
                school: school)
            let deletions = try await store.roll.rollDeletions(since: day)
            #expect(Set(deletions.map(\.upn)) == [alys, cai])
            #expect(Set(deletions.map(\.ground)) == [.whereaboutsUnknown, .died])
            await #expect(throws: (any Error).self) {
                try await store.sql.raw("DELETE FROM roll_deletions").run()
            }
        }
    }
}

import AttendanceCore
import Foundation
import SQLKit
import Testing
import VaporTesting

@testable import AttendanceStore
@testable import AttendanceWeb

/// The pupil page's Community Paediatrician section: no referral before Letter 3; after it, with illness since,
/// the office refers, the school's ESW records the outcome and a reintegration plan; a referral of another school
/// cannot be reached through this school's address.
@Suite struct MedicalWebTests {
    @Test func afterLetter3TheSchoolRefersAndTheEswRecordsTheOutcomeAndPlan() async throws {
        try await withWebApp { app, store in
            let pupil = try #require(try await onRollToday(store).first)
            var office = try await Browser.signedIn(app, as: .attendanceAdministrator)
            let refer = SiteURL.schoolPupil(.paediatricReferral, mainSchool, pupil.upn)
            let letter3 = try await store.medical.letter3Sent(
                upn: pupil.upn, school: mainSchool, year: testToday.academicYear)
            if letter3 == nil {
                let page = try await office.get(SiteURL.pupil(pupil.upn)).body.string
                #expect(page.contains("Letter 3 has not been sent this school year"))
                #expect(!page.contains("id=\"paediatric-referral\""))
                let refused = try await office.post(refer, ["reason": "Migraines"])
                #expect(refused.status == .unprocessableEntity)
            }
            // Letter 3 done a week ago, and illness since.
            let schoolID = try await store.reference.requireSchool(mainSchool).id
            let pupilID = try await store.reference.requirePupil(pupil.upn).id
            let sent = testToday.adding(days: -7)
            try await store.sql.insert(into: "procedure_actions")
                .columns(
                    "pupil_id", "school_id", "academic_year", "key", "action", "basis", "count", "sessions", "status",
                    "due_on", "recorded_by", "recorded_at", "status_changed_at"
                )
                .values(
                    pupilID, schoolID, testToday.academicYear.startYear, "letter_3/medical-test", "letter_3",
                    "absence", 26, "", "done", sent.iso, "system", sent.iso + "T18:00:00.000Z",
                    sent.iso + "T18:00:00.000Z"
                ).run()
            let before = try await store.medical.medicalStanding(pupil.upn, school: mainSchool, today: testToday)
                .sinceLetter3
            try await store.registers.writeMarks(
                [
                    MarkEntry(
                        pupilID: pupilID, schoolID: schoolID,
                        mark: Mark(upn: pupil.upn, session: SchoolSession(testToday.adding(days: -1), .am), code: "I"))
                ], by: AuditActor("office@demo.example"), reason: "test: illness")
            let page = try await office.get(SiteURL.pupil(pupil.upn)).body.string
            #expect(page.contains("Letter 3 was sent on \(sent.readable(.en)); \(before + 1) sessions of illness"))
            #expect(try await office.post(refer, ["reason": ""]).status == .unprocessableEntity)
            #expect(try await office.post(refer, ["reason": "Migraines; GP letters"]).status == .seeOther)
            let referral = try #require(try await store.medical.paediatricReferrals(of: pupil.upn).first)
            #expect(try await office.post(refer, ["reason": "Again"]).status == .conflict)

            var esw = try await Browser.signedIn(app, as: .educationSocialWorker)
            let values = ["laestab": mainSchool.description, "id": String(referral.id)]
            #expect(
                try await esw.post(
                    SiteURL.paediatricOutcome.path(values),
                    ["outcome": "health_plan", "on": testToday.iso, "note": "Care plan with the school nurse"]
                ).status == .seeOther)
            let plan = SiteURL.reintegrationPlan.path(values)
            #expect(
                try await esw.post(
                    plan,
                    [
                        "starts_on": testToday.iso, "review_on": testToday.iso, "arrangements": "x",
                        "agreed_with": "y",
                    ]
                ).status == .unprocessableEntity)
            #expect(
                try await esw.post(
                    plan,
                    [
                        "starts_on": testToday.adding(days: 5).iso, "review_on": testToday.adding(days: 19).iso,
                        "arrangements": "Mornings only for two weeks", "agreed_with": "Mother, pupil, ESW, school",
                    ]
                ).status == .seeOther)
            let after = try await esw.get(SiteURL.pupil(pupil.upn, query: ["medical": "saved"])).body.string
            #expect(after.contains("Assessed: a health care plan or support in school advised"))
            #expect(after.contains("Mornings only for two weeks"))
            let welsh = try await esw.get(SiteURL.pupil(pupil.upn, query: ["lang": "cy"])).body.string
            #expect(welsh.contains("Pediatregydd Cymunedol") && welsh.contains("Cynllun ailintegreiddio o"))
            // Through another school's address the referral is not there.
            var lead = try await Browser.signedIn(app, as: .educationLead)
            let foreign = SiteURL.reintegrationPlan.path([
                "laestab": allocatedSchool.description, "id": String(referral.id),
            ])
            #expect(
                try await lead.post(
                    foreign,
                    [
                        "starts_on": testToday.iso, "review_on": testToday.adding(days: 7).iso, "arrangements": "x",
                        "agreed_with": "y",
                    ]
                ).status == .notFound)
            #expect(try await store.medical.paediatricReferrals(of: pupil.upn).first?.plans.count == 1)
        }
    }
}

import AttendanceAccounts
import AttendanceCore
import AttendanceLetters
import Foundation
import Testing
import VaporTesting

@testable import AttendanceStore
@testable import AttendanceWeb

/// Interventions (issue 35): started for pupils a person may work on, mentoring with its grant given and taken
/// away, a mentor's log in the office's contact log, sessions and ends each once, and sanctions only where the
/// record allows them, with the parents' notice kept.
@Suite struct InterventionsWebTests {
    @Test(arguments: WebTestDatabase.available)
    func aMentorIsGivenTheirMenteeLogsMeetingsAndLosesThePupilWhenItEnds(_ database: WebTestDatabase) async throws {
        try await withWebApp(on: database) { app, store in
            let pupils = try await RouteAccessTests.Pupils(store: store)
            var hoy = try await Browser.signedIn(app, as: .headOfYear)
            // The group analysis offers each line's pupils below target for an intervention.
            let analysis = try await hoy.get(SiteURL.school(.groupAnalysis, mainSchool)).body.string
            #expect(analysis.contains("/schools/\(mainSchool)/interventions?breakdown=year&amp;key=8"))
            let line = try await hoy.get(
                SiteURL.school(.interventions, mainSchool, query: ["breakdown": "year", "key": "8"]))
            #expect(line.status == .ok)
            // A head of year starts interventions for their years only; a Year 11 pupil is refused, nothing kept.
            let start = SiteURL.school(.interventions, mainSchool)
            let before = try await store.interventions.interventions(mainSchool).count
            let refused = try await hoy.post(
                start,
                [
                    "kind": "mentoring", "leader": "tutor@demo.example", "start": "2026-11-16",
                    "pupil-\(pupils.yearEleven.value)": "1",
                ])
            #expect(refused.status == .unprocessableEntity)
            #expect(try await store.interventions.interventions(mainSchool).count == before)
            // A leader who is not the school's staff is refused (the governor).
            #expect(
                try await hoy.post(
                    start,
                    [
                        "kind": "mentoring", "leader": "governor@demo.example", "start": "2026-11-16",
                        "pupil-\(pupils.yearEight.value)": "1",
                    ]
                ).status == .unprocessableEntity)
            // The tutor could not see the Year 8 pupil before; made their mentor, they can, and no other pupil.
            var tutor = try await Browser.signedIn(app, as: .formTutor)
            #expect(try await tutor.get(SiteURL.pupil(pupils.yearEight)).status == .forbidden)
            let started = try await hoy.post(
                start,
                [
                    "kind": "mentoring", "leader": "tutor@demo.example", "start": "2026-11-16",
                    "notes": "Bore Llun", "pupil-\(pupils.yearEight.value)": "1",
                ])
            #expect(started.status == .seeOther)
            let item = try #require(try await store.interventions.interventions(mainSchool).first)
            #expect(item.kind == .mentoring && item.pupils == [pupils.yearEight] && item.leader == "tutor@demo.example")
            let grant = RoleGrant(role: .mentor, school: mainSchool, child: pupils.yearEight)
            #expect(try await store.identity.user(email: "tutor@demo.example")?.grants.contains(grant) == true)
            tutor = try await Browser.signedIn(app, as: .formTutor)
            let page = try await tutor.get(SiteURL.pupil(pupils.yearEight))
            #expect(page.status == .ok)
            #expect(page.body.string.contains("id=\"log-mentoring\""))
            #expect(try await tutor.get(SiteURL.pupil(pupils.yearEleven)).status == .forbidden)
            #expect(try await tutor.get(SiteURL.school(.interventions, mainSchool)).status == .forbidden)
            // Two meetings logged: in the office's contact log, so the pupil's timeline is one.
            let log = SiteURL.mentoringContact.path(["upn": pupils.yearEight.value])
            for (day, with) in [("2026-11-17", "Y disgybl"), ("2026-11-24", "Mam")] {
                let logged = try await tutor.post(
                    log, ["on": day, "method": "meeting", "with": with, "notes": "Cytunwyd ar darged"])
                #expect(logged.status == .seeOther)
            }
            // A day to come, or one that does not exist, is refused naming the field.
            #expect(
                try await tutor.post(log, ["on": "2026-12-01", "method": "meeting", "with": "Mam"]).status
                    == .unprocessableEntity)
            #expect(
                try await tutor.post(log, ["on": "2026-11-31", "method": "meeting", "with": "Mam"]).status
                    == .unprocessableEntity)
            let office = try await store.procedure.contactAttempts(
                school: mainSchool, on: LocalDate(iso: "2026-11-24")!)
            #expect(office.contains { $0.upn == pupils.yearEight && $0.method == .meeting && $0.contactName == "Mam" })
            let logged = try await tutor.get(SiteURL.pupil(pupils.yearEight)).body.string
            #expect(logged.contains("Y disgybl") && logged.contains("Mam"))
            // The tutor's home lists the mentee.
            let home = try await tutor.get(SiteURL.home.path()).body.string
            #expect(home.contains("id=\"mentees\""))
            // Ended: the grant goes with it; ending again changes nothing.
            let end = SiteURL.school(.endIntervention, mainSchool, id: item.id)
            #expect(try await hoy.post(end, ["on": "2026-11-24"]).status == .seeOther)
            #expect(try await hoy.post(end, ["on": "2026-11-25"]).status == .conflict)
            #expect(try await store.identity.user(email: "tutor@demo.example")?.grants.contains(grant) == false)
            tutor = try await Browser.signedIn(app, as: .formTutor)
            #expect(try await tutor.get(SiteURL.pupil(pupils.yearEight)).status == .forbidden)
            // The audit trail has who started and ended it.
            let audit = try await store.auditTrail.search(AuditQuery(schools: [mainSchool]))
            #expect(audit.contains { $0.action == "intervention.started" && $0.actor == "hoy@demo.example" })
            #expect(audit.contains { $0.action == "intervention.ended" && $0.subject == "intervention/\(item.id)" })
        }
    }

    @Test(arguments: WebTestDatabase.available)
    func aSessionIsKeptOnceWithWhoCame(_ database: WebTestDatabase) async throws {
        try await withWebApp(on: database) { app, store in
            let pupils = try await RouteAccessTests.Pupils(store: store)
            var head = try await Browser.signedIn(app, as: .headTeacher)
            let started = try await head.post(
                SiteURL.school(.interventions, mainSchool),
                [
                    "kind": "workshop", "leader": "head@demo.example", "start": "2026-11-16", "time": "15:30",
                    "place": "Y llyfrgell", "pupil-\(pupils.child.value)": "1", "pupil-\(pupils.yearEight.value)": "1",
                ])
            #expect(started.status == .seeOther)
            let item = try #require(try await store.interventions.interventions(mainSchool).first)
            // The invitations are kept letters, one for each parent written to, in the family's language.
            let invitations = try await store.letters.letters(of: pupils.child).filter {
                $0.kind == .workshopInvitation
            }
            #expect(!invitations.isEmpty)
            let detail = try await head.get(SiteURL.school(.intervention, mainSchool, id: item.id)).body.string
            // The policy's first topic is offered for the first session.
            #expect(detail.contains("Why is school attendance important?"))
            let session = SiteURL.school(.interventionSession, mainSchool, id: item.id)
            let form = [
                "on": "2026-11-18", "topic": "Why is school attendance important?", "came-\(pupils.child.value)": "1",
            ]
            let statuses = try await ConcurrentDecisionTests.atOnce(2) { [head] _ in
                try await ConcurrentDecisionTests.post(app, as: head, session, form)
            }
            #expect(statuses == [.seeOther, .seeOther])
            let kept = try #require(try await store.interventions.intervention(item.id))
            #expect(kept.sessions.count == 1)
            #expect(kept.sessions.first?.attended == [pupils.child])
            // Before it started, after today, or with no topic: refused, nothing kept.
            for bad in [
                ["on": "2026-11-13", "topic": "x"], ["on": "2026-11-26", "topic": "x"],
                ["on": "2026-11-19", "topic": ""],
            ] {
                #expect(try await head.post(session, bad).status == .unprocessableEntity, "\(bad)")
            }
            #expect(try await store.interventions.intervention(item.id)?.sessions.count == 1)
            // The invitations are in each family's language.
            let contacts = try await store.contacts.contacts(of: pupils.child)
            for invitation in invitations where invitation.recipientNames.count == 1 {
                if let preference = contacts.first(where: { invitation.recipientNames.contains($0.name) })?.language {
                    #expect(invitation.languages == preference.letterLanguages)
                }
            }
            // The last session's rewards: a pupil absent every session of the weeks before and present every one
            // since is among the most improved, and their certificate is a kept letter.
            let improver = pupils.yearEight
            let started2 = try await head.post(
                SiteURL.school(.interventions, mainSchool),
                [
                    "kind": "workshop", "leader": "head@demo.example", "start": "2026-11-02", "time": "15:30",
                    "place": "Y llyfrgell", "pupil-\(improver.value)": "1",
                ])
            #expect(started2.status == .seeOther)
            let workshop = try #require(
                try await store.interventions.interventions(of: improver).first { $0.kind == .workshop })
            let school = try await store.reference.requireSchool(mainSchool)
            let calendar = try await store.reference.calendar(for: school.school)
            let windows = try #require(
                InterventionImpact.windows(start: workshop.start, end: nil, today: testToday, calendar: calendar))
            let pupil = try await store.reference.requirePupil(improver)
            for (range, code) in [(windows.before, "O"), (windows.after, "/")] {
                try await store.registers.writeMarks(
                    calendar.sessions(in: range).map {
                        MarkEntry(
                            pupilID: pupil.id, schoolID: school.id, mark: Mark(upn: improver, session: $0, code: code))
                    }, by: AuditActor("head@demo.example"), reason: "test")
            }
            let rewards = try await head.get(SiteURL.school(.intervention, mainSchool, id: workshop.id)).body.string
            #expect(rewards.contains("id=\"workshop-certificates\"") && rewards.contains(pupil.pupil.displayName))
            let made = try await head.post(
                SiteURL.school(.interventionCertificates, mainSchool, id: workshop.id), [:])
            #expect(made.status == .seeOther)
            #expect(
                !(try await store.letters.letters(of: improver).filter { $0.kind == .improvementCertificate }.isEmpty))
            // A workshop without its first session's time and place cannot invite anyone: refused.
            #expect(
                try await head.post(
                    SiteURL.school(.interventions, mainSchool),
                    [
                        "kind": "workshop", "leader": "head@demo.example", "start": "2026-11-16",
                        "pupil-\(pupils.child.value)": "1",
                    ]
                ).status == .unprocessableEntity)
        }
    }

    @Test(arguments: WebTestDatabase.available)
    func aSanctionIsRecordedOnlyWhereTheRecordAllowsItAndTheParentsAreToldEachTime(_ database: WebTestDatabase)
        async throws
    {
        try await withWebApp(on: database) { app, store in
            let pupils = try await RouteAccessTests.Pupils(store: store)
            var head = try await Browser.signedIn(app, as: .headTeacher)
            let child = pupils.child
            let sanction = SiteURL.schoolPupil(.sanction, mainSchool, child)
            let form = ["on": "2026-11-26", "time": "12:30", "place": "Amser cinio, ystafell 12"]
            // The demo's mentoring of the child started three weeks ago; the record shows no truancy yet.
            let noTruancy = try await head.post(sanction, form)
            #expect(noTruancy.status == .unprocessableEntity)
            // Ill all afternoon on four days since: authorised absence is never sanctioned, whatever else shows.
            let pupil = try await store.reference.requirePupil(child)
            let school = try await store.reference.requireSchool(mainSchool)
            let days = ["2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19"].map { LocalDate(iso: $0)! }
            func mark(_ am: String, _ pm: String) async throws {
                try await store.registers.writeMarks(
                    days.flatMap { day in
                        [(SessionHalf.am, am), (.pm, pm)].map {
                            MarkEntry(
                                pupilID: pupil.id, schoolID: school.id,
                                mark: Mark(upn: child, session: SchoolSession(day, $0.0), code: $0.1))
                        }
                    }, by: AuditActor("head@demo.example"), reason: "test")
            }
            // Present every session of the weeks looked at but four afternoons off ill: authorised absence only,
            // refused with the reason.
            let calendar = try await store.reference.calendar(for: school.school)
            let lookedAt = DateRange(testToday.adding(days: -SanctionRule.lookBackDays), testToday)!
            try await store.registers.writeMarks(
                calendar.sessions(in: lookedAt).map {
                    MarkEntry(pupilID: pupil.id, schoolID: school.id, mark: Mark(upn: child, session: $0, code: "/"))
                }, by: AuditActor("head@demo.example"), reason: "test")
            try await mark("/", "I")
            let evidence = try await store.interventions.sanctionEvidence(child, school: mainSchool, today: testToday)
            #expect(evidence.unauthorisedSessions == 0 && evidence.missedAfterRegistration.isEmpty)
            let authorised = try await head.post(sanction, form)
            #expect(authorised.status == .unprocessableEntity)
            #expect(authorised.body.string.contains("authorised absence is never sanctioned"))
            // Present at registration and missing in the afternoon, four times since the mentoring began, after
            // full attendance before it: the mentoring did not work.
            let mentoring = try #require(
                try await store.interventions.interventions(of: child).first { $0.kind == .mentoring })
            let windows = try #require(
                InterventionImpact.windows(
                    start: mentoring.start, end: nil, today: testToday, calendar: calendar))
            try await store.registers.writeMarks(
                calendar.sessions(in: windows.before).map {
                    MarkEntry(pupilID: pupil.id, schoolID: school.id, mark: Mark(upn: child, session: $0, code: "/"))
                }, by: AuditActor("head@demo.example"), reason: "test")
            try await mark("/", "O")
            let truant = try await store.interventions.sanctionEvidence(child, school: mainSchool, today: testToday)
            #expect(truant.missedAfterRegistration == days)
            #expect(truant.hadEarlierIntervention)
            #expect((truant.earlierChangeTenths ?? 0) < 0)
            let recorded = try await head.post(sanction, form)
            #expect(recorded.status == .seeOther)
            let notices = try await store.letters.letters(of: child).filter { $0.kind == .sanctionNotice }
            #expect(!notices.isEmpty)
            // The notice is in the family's language: every recipient's preference is honoured.
            let contacts = try await store.contacts.contacts(of: child)
            for notice in notices where notice.recipientNames.count == 1 {
                let preference = contacts.first { notice.recipientNames.contains($0.name) }?.language
                if let preference { #expect(notice.languages == preference.letterLanguages) }
            }
            // A second click the same day records nothing more and sends nothing more.
            #expect(try await head.post(sanction, form).status == .conflict)
            #expect(
                try await store.letters.letters(of: child).filter { $0.kind == .sanctionNotice }.count
                    == notices.count)
            let sanctions = try await store.interventions.interventions(of: child).filter { $0.kind == .sanction }
            #expect(sanctions.count == 1)
            // A primary school's pupil: refused with the reason, whatever the record shows.
            try await store.identity.createUser(
                email: "primary-head@example.org", displayName: "Primary Head",
                passwordHash: try testPasswords.hash("primary-head-pw"), mustChangePassword: false,
                grants: [RoleGrant(role: .headTeacher, school: otherSchool)], by: AuditActor("test"))
            var primary = Browser(app)
            _ = try await primary.signIn("primary-head@example.org", "primary-head-pw")
            _ = try await primary.get(SiteURL.home.path())
            let refused = try await primary.post(SiteURL.schoolPupil(.sanction, otherSchool, pupils.elsewhere), form)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("secondary pupils only"))
            #expect(try await store.interventions.interventions(otherSchool).isEmpty)
        }
    }
}

import AttendanceAccounts
import AttendanceCore
import Foundation
import Testing
import VaporTesting

@testable import AttendanceStore
@testable import AttendanceWeb

/// Community Education Patrols: a patrol logs a child found out of school and sees only its own entries; the
/// child's school sees an entry matched to its pupil on the office page and the pupil's timeline, another school
/// does not; two entries on days of unauthorised absence in a term make the police-contact criterion.
@Suite struct PatrolWebTests {
    @Test func aPatrolSeesItsOwnEntriesAndOnlyThePupilsSchoolSeesThem() async throws {
        try await withWebApp { app, store in
            let pupil = try #require(try await onRollToday(store).first)
            var patrol = try await Browser.signedIn(app, as: .patrol)
            #expect(
                try await patrol.post(SiteURL.patrols.path(), ["seen_on": testToday.iso, "place": "x"]).status
                    == .unprocessableEntity)
            let sighting = [
                "seen_on": testToday.iso, "seen_at": "10:40", "place": "Queens Square, Wrexham",
                "name": "\(pupil.legalForename) \(pupil.legalSurname)".uppercased(), "school": mainSchool.description,
                "reason": "Said school was closed", "taken_to": "Taken to school",
            ]
            #expect(try await patrol.post(SiteURL.patrols.path(), sighting).status == .seeOther)
            var unmatched = sighting
            unmatched["name"] = "Nobody Known"
            #expect(try await patrol.post(SiteURL.patrols.path(), unmatched).status == .seeOther)
            let entries = try await store.esw.patrolEntries(by: "patrol@demo.example")
            #expect(entries.map(\.upn) == [nil, pupil.upn])
            #expect(try await patrol.get(SiteURL.patrols.path()).body.string.contains("Queens Square, Wrexham"))

            // Another patrol member sees none of them.
            try await store.identity.createUser(
                email: "patrol2@demo.example", displayName: "PC Two",
                passwordHash: try testPasswords.hash("patrol-two-1234"), mustChangePassword: false,
                grants: [RoleGrant(role: .patrol)], by: AuditActor("test"))
            var other = Browser(app)
            _ = try await other.signIn("patrol2@demo.example", "patrol-two-1234")
            #expect(!(try await other.get(SiteURL.patrols.path()).body.string.contains("Queens Square")))
            // The pupil's school sees the matched entry on its office page and the pupil's timeline; a patrol sees
            // no school page and no pupil.
            var office = try await Browser.signedIn(app, as: .attendanceAdministrator)
            let day = try await office.get(SiteURL.school(.office, mainSchool)).body.string
            // The unmatched entry is listed apart, to match by hand; the day's list has the matched one only.
            let matchedList =
                day.components(separatedBy: "<ul class=\"patrols\">").last?.components(separatedBy: "</ul>").first ?? ""
            #expect(matchedList.contains("Said school was closed") && !matchedList.contains("Nobody Known"))
            #expect(day.contains("class=\"unmatched-patrols\"") && day.contains("Nobody Known"))
            #expect(try await office.get(SiteURL.pupil(pupil.upn)).body.string.contains("Said school was closed"))
            #expect(try await patrol.get(SiteURL.pupil(pupil.upn)).status == .forbidden)
            #expect(try await store.esw.patrolEntries(school: otherSchool, on: testToday).isEmpty)

            // "Pupil regularly coming into contact with the North Wales Police … during school hours … and where
            // absence is recorded as unauthorised": entries on two days of unauthorised absence this term.
            let school = try await store.reference.requireSchool(mainSchool).school
            let before = try await store.penalties.penaltyTerm(
                of: pupil.upn, school: school, asOf: testToday, policy: .wrexham2025)
            #expect(before?.counts["police_contact"] == 0 && before?.met.contains("police_contact") == false)
            for (date, code) in [("2026-11-24", "O"), ("2026-11-25", "O")] {
                try await store.registers.writeMarks(
                    [
                        SchoolMark(
                            school: mainSchool,
                            mark: Mark(upn: pupil.upn, session: SchoolSession(LocalDate(iso: date)!, .am), code: code))
                    ], by: AuditActor("office@demo.example"), reason: "test")
                _ = try await store.esw.logPatrolEntry(
                    PatrolSighting(
                        seenOn: LocalDate(iso: date)!, seenAt: "11:00", place: "Eagles Meadow",
                        nameGiven: pupil.displayName, schoolGiven: "", school: mainSchool, reasonGiven: "None",
                        accompanied: false, takenTo: "School"), by: AuditActor("patrol@demo.example"))
            }
            let after = try await store.penalties.penaltyTerm(
                of: pupil.upn, school: school, asOf: testToday, policy: .wrexham2025)
            #expect(after?.counts["police_contact"] == Policy.wrexham2025.casework.policeContactDays)
            #expect(after?.met.contains("police_contact") == true)
        }
    }

    /// An entry whose name matched no one pupil is matched by hand by the school it named, to a pupil on its roll
    /// that day (suggested by a shared word of the name); once only; then it is in the pupil's timeline.
    @Test func theSchoolMatchesAnUnmatchedEntryByHand() async throws {
        try await withWebApp { app, store in
            let pupil = try #require(try await onRollToday(store).first)
            let entry = try await store.esw.logPatrolEntry(
                PatrolSighting(
                    seenOn: testToday, seenAt: "11:05", place: "Bus station", nameGiven: "Jo \(pupil.legalSurname)",
                    schoolGiven: "Ysgol", school: mainSchool, reasonGiven: "Going to town", accompanied: false,
                    takenTo: "School"), by: AuditActor("patrol@demo.example"))
            #expect(entry.upn == nil)
            var office = try await Browser.signedIn(app, as: .attendanceAdministrator)
            let page = try await office.get(SiteURL.school(.office, mainSchool)).body.string
            #expect(page.contains("Going to town") && page.contains("value=\"\(pupil.upn)\""))
            let match = SiteURL.school(.matchPatrol, mainSchool, id: entry.id)
            #expect(try await office.post(match, ["upn": "nonsense"]).status == .unprocessableEntity)
            // A pupil of another school was not on this roll that day.
            let elsewhere = try #require(
                try await store.reference.roll(
                    of: try await store.reference.requireSchool(otherSchool).id, in: DateRange(testToday, testToday)!
                ).first?.pupil)
            #expect(try await office.post(match, ["upn": elsewhere.upn.value]).status == .unprocessableEntity)
            await #expect(throws: StoreError.notFound("patrol entry \(entry.id)")) {
                _ = try await store.esw.matchPatrolEntry(
                    entry.id, to: elsewhere.upn, school: otherSchool, by: AuditActor("office@demo.example"))
            }
            #expect(try await office.post(match, ["upn": pupil.upn.value]).status == .seeOther)
            #expect(try await office.post(match, ["upn": pupil.upn.value]).status == .conflict)
            #expect(try await store.esw.patrolEntries(of: pupil.upn).contains { $0.id == entry.id })
            #expect(try await office.get(SiteURL.pupil(pupil.upn)).body.string.contains("Going to town"))
            let after = try await office.get(SiteURL.school(.office, mainSchool, query: ["matched": "1"])).body.string
            #expect(after.contains("The patrol entry is matched") && !after.contains("class=\"unmatched-patrols\""))
        }
    }
}

import AttendanceCore
import AttendanceStore
import Foundation
import Testing
import VaporTesting

@testable import AttendanceWeb

/// Issue 31, points 1 to 4 and 9: penalty notices as the policy reads.
@Suite struct CaseworkPenaltyTests {
    static let office = AuditActor("office@demo.example")
    /// The warning's sentence on what happens next, in either language (the parent's).
    static let follows = ["Because this absence has already happened", "Gan fod yr absenoldeb hwn eisoes wedi digwydd"]
    static let onFurther = [
        "If there is any further unauthorised absence", "Os bydd unrhyw absenoldeb pellach heb ei awdurdodi",
    ]
    static func says(_ page: String, _ sentence: [String]) -> Bool { sentence.contains { page.contains($0) } }

    static let autumn = DateRange(LocalDate(iso: "2026-09-01")!, LocalDate(iso: "2026-12-18")!)!

    /// A pupil with a parent who would receive a notice, present at every session of the term so far: whatever
    /// the demo gave them, only what a test marks counts.
    static func presentPupil(_ store: Store, skipping: Int = 0) async throws -> Pupil {
        var found: [Pupil] = []
        for pupil in try await onRollToday(store)
        where try await store.contacts.contacts(of: pupil.upn).contains(where: \.receivesPenaltyNotice) {
            found.append(pupil)
            if found.count > skipping { break }
        }
        let pupil = try #require(found.last)
        let calendar = try await store.reference.calendar(
            for: try await store.reference.requireSchool(mainSchool).school)
        let sessions = calendar.sessions(in: DateRange(autumn.start, testToday)!)
        try await store.registers.writeMarks(
            sessions.map {
                SchoolMark(
                    school: mainSchool, mark: Mark(upn: pupil.upn, session: $0, code: $0.half == .am ? "/" : "\\"))
            }, by: office, reason: "test: present")
        return pupil
    }

    static func mark(_ store: Store, _ pupil: Pupil, _ code: String, days: [String]) async throws {
        try await store.registers.writeMarks(
            days.flatMap { day in
                [SessionHalf.am, .pm].map {
                    SchoolMark(
                        school: mainSchool,
                        mark: Mark(upn: pupil.upn, session: SchoolSession(LocalDate(iso: day)!, $0), code: code))
                }
            }, by: office, reason: "test")
    }

    static func flag(_ store: Store, _ pupil: Pupil) async throws -> QueuedAction? {
        _ = try await store.procedure.runProcedure(
            policy: .wrexham2025, asOf: testToday, school: mainSchool, dryRun: false)
        return try await store.procedure.actions(school: mainSchool, upn: pupil.upn).first { $0.action == .fpnEligible }
    }

    /// 1. "Minimum of 10 unauthorised absences in the current term": 6 O and 5 G are 11 unauthorised sessions.
    @Test(arguments: WebTestDatabase.available)
    func everyUnauthorisedSessionOfTheTermCounts(_ database: WebTestDatabase) async throws {
        try await withWebApp(on: database) { _, store in
            let pupil = try await Self.presentPupil(store)
            try await Self.mark(store, pupil, "O", days: ["2026-11-02", "2026-11-03", "2026-11-04"])
            try await Self.mark(store, pupil, "G", days: ["2026-11-09", "2026-11-10"])
            try await store.registers.writeMarks(
                [
                    SchoolMark(
                        school: mainSchool,
                        mark: Mark(
                            upn: pupil.upn, session: SchoolSession(LocalDate(iso: "2026-11-11")!, .am), code: "G"))
                ],
                by: Self.office, reason: "test")
            let flag = try #require(try await Self.flag(store, pupil))
            #expect(flag.basis == "unauthorised" && flag.count == 11)
        }
    }

    /// 2 and 4. "The Head Teacher will inform the parent by letter that a request … will be completed and sent":
    /// a term-time holiday (10 G) waits for nothing more, so the letter says the request follows, and the head
    /// sends it the same day. 9. The warning is a legal letter: the first press shows it and sends nothing.
    @Test(arguments: WebTestDatabase.available)
    func aHolidayCaseIsRequestedTheDayOfTheWarning(_ database: WebTestDatabase) async throws {
        try await withWebApp(on: database) { app, store in
            let pupil = try await Self.presentPupil(store)
            try await Self.mark(
                store, pupil, "G", days: ["2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19", "2026-11-20"])
            let flag = try #require(try await Self.flag(store, pupil))
            #expect(flag.basis == "unauthorised,unagreed_holiday")
            var head = try await Browser.signedIn(app, as: .headTeacher)
            try await head.get(SiteURL.school(.actions, mainSchool))
            let warn = SiteURL.school(.penaltyWarning, mainSchool, id: flag.id)
            let shown = try await head.post(warn, [:])
            #expect(shown.status == .ok)
            let confirm = shown.body.string
            #expect(Self.says(confirm, Self.follows) && !Self.says(confirm, Self.onFurther))
            #expect(confirm.contains("holiday not agreed (10)"))
            #expect(try await store.letters.letters(of: pupil.upn).allSatisfy { $0.kind != .fpnWarning })
            #expect(try await head.post(warn, ["confirmed": "yes"]).status == .seeOther)
            let found = try #require(
                try await store.penalties.penaltyCases(school: mainSchool).first { $0.upn == pupil.upn })
            #expect(found.status == .warned && found.criteria.contains(.unagreedHoliday))
            // The same day, the request is offered and goes.
            let page = try await head.get(SiteURL.school(.schoolPenalties, mainSchool)).body.string
            #expect(page.contains(SiteURL.school(.requestPenalty, mainSchool, id: found.id)))
            let sent = try await head.post(
                SiteURL.school(.requestPenalty, mainSchool, id: found.id),
                ["engagement": "Holiday taken after refusal", "equality": "No concerns known"])
            #expect(sent.status == .seeOther)
            #expect(try await store.penalties.requirePenaltyCase(found.id).status == .requested)
        }
    }

    /// 4. "The request is offered only when it is allowed (the page says when it will be, and why), and never on
    /// the warning's own day with an error": a case on unauthorised absence alone waits ten school days.
    @Test(arguments: WebTestDatabase.available)
    func theRequestIsOfferedOnlyWhenAllowed(_ database: WebTestDatabase) async throws {
        try await withWebApp(on: database) { app, store in
            let pupil = try await Self.presentPupil(store)
            try await Self.mark(
                store, pupil, "O", days: ["2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19", "2026-11-20"])
            let flag = try #require(try await Self.flag(store, pupil))
            #expect(flag.basis == "unauthorised")
            var head = try await Browser.signedIn(app, as: .headTeacher)
            try await head.get(SiteURL.school(.actions, mainSchool))
            let confirm = try await head.post(SiteURL.school(.penaltyWarning, mainSchool, id: flag.id), [:]).body.string
            #expect(Self.says(confirm, Self.onFurther) && !Self.says(confirm, Self.follows))
            _ = try await head.post(SiteURL.school(.penaltyWarning, mainSchool, id: flag.id), ["confirmed": "yes"])
            let found = try #require(
                try await store.penalties.penaltyCases(school: mainSchool).first { $0.upn == pupil.upn })
            let page = try await head.get(SiteURL.school(.schoolPenalties, mainSchool)).body.string
            #expect(!page.contains(SiteURL.school(.requestPenalty, mainSchool, id: found.id)))
            // Ten school days after Wednesday 25 November 2026 is Wednesday 9 December.
            #expect(
                page.contains("The request can be sent from 9 December 2026 if there is further unauthorised absence"))
            // Sent anyway (an old page, a second tab): refused with the reason, and the server goes on.
            let forced = try await head.post(
                SiteURL.school(.requestPenalty, mainSchool, id: found.id), ["engagement": "x", "equality": "y"])
            #expect(forced.status.code >= 400 && forced.status.code < 500)
            #expect(forced.body.string.contains("too soon after the warning letter"))
            #expect(try await store.penalties.requirePenaltyCase(found.id).status == .warned)
        }
    }

    /// 3. "Pupil regularly coming into contact with the North Wales Police … during school hours … and where
    /// absence is recorded as unauthorised" and "Parents/carers failing to engage with school/ESW": each starts a
    /// case on its own, below every session count.
    @Test(arguments: WebTestDatabase.available)
    func policeContactAndNonEngagementRaiseAFlagOnTheirOwn(_ database: WebTestDatabase) async throws {
        try await withWebApp(on: database) { app, store in
            let seen = try await Self.presentPupil(store)
            try await Self.mark(store, seen, "O", days: ["2026-11-18", "2026-11-19"])
            for day in ["2026-11-18", "2026-11-19"] {
                _ = try await store.esw.logPatrolEntry(
                    PatrolSighting(
                        seenOn: LocalDate(iso: day)!, seenAt: "11:00", place: "Eagles Meadow",
                        nameGiven: seen.displayName, schoolGiven: "", school: mainSchool, reasonGiven: "None",
                        accompanied: false, takenTo: "School"), by: AuditActor("patrol@demo.example"))
            }
            let police = try #require(try await Self.flag(store, seen))
            #expect(police.basis == "police_contact")

            let unreached = try await Self.presentPupil(store, skipping: 1)
            #expect(unreached.upn != seen.upn)
            var office = try await Browser.signedIn(app, as: .attendanceAdministrator)
            for _ in 0..<2 {
                let logged = try await HardeningFindingsTests.logContact(
                    &office, child: unreached.upn, ["outcome": "no_answer"])
                #expect(logged.status == .seeOther)
            }
            #expect(try await Self.flag(store, unreached) == nil)  // two unanswered: not yet "failing to engage"
            _ = try await HardeningFindingsTests.logContact(&office, child: unreached.upn, ["outcome": "no_answer"])
            let engagement = try #require(try await Self.flag(store, unreached))
            #expect(engagement.basis == "non_engagement" && engagement.count == 3)
        }
    }

    /// 6 and 9. A warning says only what the record shows: a flag whose absences were corrected since (the
    /// criteria no longer met) sends nothing, and says why.
    @Test func aWarningWhoseCriteriaNoLongerHoldSendsNothing() async throws {
        try await withWebApp { app, store in
            let pupil = try await Self.presentPupil(store)
            let days = ["2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19", "2026-11-20"]
            try await Self.mark(store, pupil, "O", days: days)
            let flag = try #require(try await Self.flag(store, pupil))
            try await Self.mark(store, pupil, "I", days: days)  // the parent's notes came in
            var head = try await Browser.signedIn(app, as: .headTeacher)
            try await head.get(SiteURL.school(.actions, mainSchool))
            let refused = try await head.post(SiteURL.school(.penaltyWarning, mainSchool, id: flag.id), [:])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("No penalty notice criterion is met this term"))
            let confirmed = try await head.post(
                SiteURL.school(.penaltyWarning, mainSchool, id: flag.id), ["confirmed": "yes"])
            #expect(confirmed.status == .unprocessableEntity)
            #expect(try await store.letters.letters(of: pupil.upn).allSatisfy { $0.kind != .fpnWarning })
            #expect(try await store.penalties.penaltyCases(school: mainSchool).allSatisfy { $0.upn != pupil.upn })
        }
    }
}

import AttendanceCore
import AttendanceLetters
import Foundation
import SQLKit
import Testing
import VaporTesting

@testable import AttendanceStore
@testable import AttendanceWeb

/// Rewards (issue 34, point 9): the lists follow a count of the marks, a draw is repeatable from its record and
/// audited, a reward is drawn once, and a certificate goes only to a pupil who qualifies.
@Suite struct RewardsWebTests {
    /// This term so far at the main school, as the demo's calendar has it.
    static let term = DateRange(LocalDate(iso: "2026-09-01")!, testToday)!

    /// Pupils on the roll on `testToday` who attended every possible session of the term, counted from their
    /// recorded marks on the days they were on the school's roll (not through `AttendanceSummary`).
    static func fullAttendance(_ store: Store) async throws -> Set<UPN> {
        let today = Set(try await store.reference.onRoll(mainSchool, on: testToday).map(\.upn))
        var counts: [UPN: (attended: Int, missed: Int)] = [:]
        for entry in try await store.reference.roll(of: mainSchool, in: term) where today.contains(entry.pupil.upn) {
            var count = counts[entry.pupil.upn] ?? (0, 0)
            for recorded in try await store.registers.marks(of: entry.pupil.upn, in: entry.onRoll) {
                switch store.codes[recorded.mark.code]?.category {
                case .present, .approvedActivity: count.attended += 1
                case .authorised, .unauthorised: count.missed += 1
                case .notCounted, nil: break
                }
            }
            counts[entry.pupil.upn] = count
        }
        return Set(counts.filter { $0.value.attended > 0 && $0.value.missed == 0 }.keys)
    }

    /// The pupils a section of the page links to, by UPN.
    static func listed(_ page: String, section id: String) throws -> [UPN] {
        let start = try #require(page.range(of: "<section id=\"\(id)\""))
        let end = try #require(page.range(of: "</section>", range: start.upperBound..<page.endIndex))
        return page[start.upperBound..<end.lowerBound].components(separatedBy: "href=\"/pupils/").dropFirst().compactMap
        {
            try? UPN(String($0.prefix { $0 != "\"" }))
        }
    }

    @Test func theListsFollowACountOfTheMarks() async throws {
        try await withWebApp { app, store in
            var head = try await Browser.signedIn(app, as: .headTeacher)
            let response = try await head.get(SiteURL.school(.rewards, mainSchool))
            #expect(response.status == .ok)
            let page = response.body.string
            let full = try Self.listed(page, section: "full-attendance")
            let expected = try await Self.fullAttendance(store)
            #expect(expected.count > 10)
            #expect(Set(full) == expected && full.count == expected.count)
            #expect(page.contains("100% attendance: \(expected.count) pupils"))
            // The file lists the same pupils, named, and is an audited export.
            let file = try await head.get(SiteURL.school(.rewardsCSV, mainSchool, query: ["period": "term"])).body
                .string
            let filed = file.split(separator: "\n").dropFirst().map {
                $0.split(separator: ",", omittingEmptySubsequences: false)
            }
            #expect(Set(filed.filter { $0[1] == "full_attendance" }.compactMap { try? UPN(String($0[4])) }) == expected)
            // Most improved: each listed pupil rose at least five points with twenty sessions either side.
            let improved = try Self.listed(page, section: "most-improved")
            #expect(!improved.isEmpty)
            let lastTerm = DateRange(LocalDate(iso: "2026-04-20")!, LocalDate(iso: "2026-07-20")!)!
            for upn in improved {
                let before = try await store.registers.summary(of: upn, in: lastTerm).1
                let now = try await store.registers.summary(of: upn, in: Self.term).1
                #expect(Rewards.isMostImproved(earlier: before, later: now), "\(upn)")
            }
            // The school page links here for the office and leaders, and a governor may not come in.
            #expect(
                try await head.get(SiteURL.school(mainSchool)).body.string.contains(
                    SiteURL.school(.rewards, mainSchool)))
            var governor = try await Browser.signedIn(app, as: .governor)
            #expect(try await governor.get(SiteURL.school(.rewards, mainSchool)).status == .forbidden)
            #expect(!(try await governor.get(SiteURL.school(mainSchool)).body.string.contains("/rewards")))
            // An unknown period is a bad address, named.
            #expect(
                try await head.get(SiteURL.school(.rewards, mainSchool, query: ["period": "decade"])).status
                    == .badRequest)
        }
    }

    @Test(arguments: WebTestDatabase.available)
    func aDrawIsRepeatableFromItsRecordAuditedAndMadeOnce(_ database: WebTestDatabase) async throws {
        try await withWebApp(on: database) { app, store in
            var office = try await Browser.signedIn(app, as: .attendanceAdministrator)
            let page = try await office.get(SiteURL.school(.rewards, mainSchool)).body.string
            let entrants = try Self.listed(page, section: "full-attendance")
            // Two clicks at once make one draw.
            let statuses = try await ConcurrentDecisionTests.atOnce(4) { [office] index in
                try await ConcurrentDecisionTests.post(
                    app, as: office, SiteURL.school(.rewardDraws, mainSchool),
                    ["reward": "full_attendance", "period": "term", "winners": "3", "seed": "\(42 + index)"])
            }
            #expect(statuses.allSatisfy { $0 == .seeOther }, "\(statuses)")
            let draws = try await store.rewards.draws(mainSchool)
            #expect(draws.count == 1)
            let draw = try #require(draws.first)
            // The record holds every entrant and the seed: the draw run again gives the same winners, in order.
            #expect(Set(draw.entrants) == Set(entrants) && draw.entrants.count == entrants.count)
            #expect(draw.winners == RewardDraw.winners(from: entrants, seed: draw.seed, count: 3))
            #expect(draw.winners.count == 3 && (42...45).contains(draw.seed) && draw.span == .term)
            let audit = try await store.auditTrail.search(AuditQuery(schools: [mainSchool])).filter {
                $0.action == "reward.drawn"
            }
            #expect(audit.count == 1 && audit[0].after?.contains("\"seed\":\"\(draw.seed)\"") == true)
            // Asked again another day of the same term, with another seed: the draw made stands.
            let again = try await office.post(
                SiteURL.school(.rewardDraws, mainSchool),
                ["reward": "full_attendance", "period": "term", "winners": "5", "seed": "7"])
            #expect(again.headers.first(name: .location)?.contains("drawn=again") == true)
            #expect(try await store.rewards.draws(mainSchool) == draws)
            let shown = try await office.get(SiteURL.school(.rewards, mainSchool)).body.string
            for winner in draw.winners { #expect(shown.contains("<li><a href=\"/pupils/\(winner.value)\">")) }
            #expect(shown.contains("<code>\(draw.seed)</code>"))
            // No seed given: the server picks one and records it.
            _ = try await office.post(
                SiteURL.school(.rewardDraws, mainSchool), ["reward": "most_improved", "period": "term", "winners": "2"])
            let improved = try #require(try await store.rewards.draws(mainSchool).first { $0.reward == .mostImproved })
            #expect(improved.winners == RewardDraw.winners(from: improved.entrants, seed: improved.seed, count: 2))
            // A seed that is not a whole number, or no winners, is refused naming the field; nothing is drawn.
            for (field, form) in [
                ("seed", ["reward": "full_attendance", "period": "year", "winners": "3", "seed": "-1"]),
                ("winners", ["reward": "full_attendance", "period": "year", "winners": "0"]),
            ] {
                let refused = try await office.post(SiteURL.school(.rewardDraws, mainSchool), form)
                #expect(refused.status == .unprocessableEntity, "\(field)")
            }
            #expect(try await store.rewards.draws(mainSchool).count == 2)
        }
    }

    @Test func certificatesGoOnlyToPupilsWhoQualify() async throws {
        try await withWebApp { app, store in
            var head = try await Browser.signedIn(app, as: .headTeacher)
            _ = try await head.get(SiteURL.school(.rewards, mainSchool))
            _ = try await head.post(
                SiteURL.school(.rewardDraws, mainSchool),
                ["reward": "full_attendance", "period": "term", "winners": "2", "seed": "9"])
            let draw = try #require(try await store.rewards.draws(mainSchool).first)
            // Two clicks at once: each winner's certificate is made once.
            let statuses = try await ConcurrentDecisionTests.atOnce(2) { [head] _ in
                try await ConcurrentDecisionTests.post(
                    app, as: head, SiteURL.school(.rewardCertificates, mainSchool),
                    ["reward": "full_attendance", "period": "term", "whom": "winners"])
            }
            #expect(statuses == [.seeOther, .seeOther])
            for _ in 0..<600 {
                let running = try await store.sql.raw("SELECT count(*) AS n FROM jobs WHERE status = 'running'").first()
                if try running?.decode(column: "n", as: Int.self) == 0 { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            var letters: [StoredLetter] = []
            for winner in draw.winners { letters += try await store.letters.letters(of: winner) }
            #expect(Set(letters.map(\.upn)) == Set(draw.winners) && letters.allSatisfy { $0.kind == .certificate })
            let perPupil = Dictionary(grouping: letters, by: \.upn).mapValues { Set($0.compactMap(\.batch)).count }
            #expect(perPupil.values.allSatisfy { $0 == 1 }, "one batch's certificate each: \(perPupil)")
            let listedNow = try await head.get(SiteURL.school(.rewards, mainSchool)).body.string
            #expect(listedNow.contains("Certificates made so far for 2 of these pupils"))
            let firstID = try #require(letters.first?.id)
            let html = try #require(try await store.letters.letter(id: firstID)?.html)
            // In the family's language: the term's dates, not the year's.
            #expect(
                (html.contains("100% attendance") && html.contains("from 1 September 2026"))
                    || (html.contains("bresenoldeb 100%") && html.contains("o 1 Medi 2026")), "\(html)")
            // By hand (or a form made up), a pupil who missed a session gets no certificate for the term.
            let service = app.context.letters
            let roll = try await store.registers.schoolReport(mainSchool, in: Self.term)
            let missed = try #require(roll.first { $0.summary.absent > 0 }).pupil.upn
            let details = ["reward_from": Self.term.start.iso, "reward_to": Self.term.end.iso]
            await #expect(throws: LetterProblem.notEarned(missed)) {
                try await service.produce(
                    .certificate, for: missed, school: mainSchool, details: details, today: testToday,
                    by: AuditActor("head@test"), signatory: "Mair Hughes")
            }
            // A most-improved certificate for a pupil who did not improve enough: refused, naming what is lacking.
            let lastTerm = ["earlier_from": "2026-04-20", "earlier_to": "2026-07-20"]
            let listed = try await head.get(SiteURL.school(.rewards, mainSchool)).body.string
            let risers = Set(try Self.listed(listed, section: "most-improved"))
            let steady = try #require(
                try Self.listed(listed, section: "full-attendance").first { !risers.contains($0) })
            await #expect(throws: LetterProblem.recordLacks(steady, .notImproved)) {
                try await service.produce(
                    .improvementCertificate, for: steady, school: mainSchool, details: details.merging(lastTerm) { $1 },
                    today: testToday, by: AuditActor("head@test"), signatory: "Mair Hughes")
            }
            // A period that has not ended is not a period to reward.
            await #expect(throws: LetterProblem.badDetail(.init(field: "reward_to", reason: .inTheFuture))) {
                try await service.produce(
                    .certificate, for: steady, school: mainSchool,
                    details: ["reward_from": "2026-09-01", "reward_to": "2026-12-18"], today: testToday,
                    by: AuditActor("head@test"), signatory: "Mair Hughes")
            }
            // One the page lists as most improved gets theirs, with both periods' figures.
            let improved = try #require(try Self.listed(listed, section: "most-improved").first)
            let made = try await service.produce(
                .improvementCertificate, for: improved, school: mainSchool, details: details.merging(lastTerm) { $1 },
                today: testToday, by: AuditActor("head@test"), signatory: "Mair Hughes")
            let madeID = try #require(made.first)
            let kept = try #require(try await store.letters.letter(id: madeID))
            #expect(
                kept.html?.contains("most improved attendance") == true && kept.html?.contains("20 April 2026") == true)
        }
    }
}

/// The whole school's figure for the newsletter (issue 34, point 4): last week's, in both languages, as text and
/// as an image, for anyone who sees the school's figures; no pupil named.
@Suite struct NewsletterWebTests {
    @Test func lastWeeksFigureIsTheSchoolsOwnInBothLanguagesAndAsAnImage() async throws {
        try await withWebApp { app, store in
            let week = DateRange(LocalDate(iso: "2026-11-16")!, LocalDate(iso: "2026-11-20")!)!
            // Counted from the marks, not through `AttendanceSummary`.
            var attended = 0
            var possible = 0
            for entry in try await store.reference.roll(of: mainSchool, in: week) {
                for recorded in try await store.registers.marks(of: entry.pupil.upn, in: entry.onRoll) {
                    switch store.codes[recorded.mark.code]?.category {
                    case .present, .approvedActivity:
                        attended += 1
                        possible += 1
                    case .authorised, .unauthorised: possible += 1
                    case .notCounted, nil: break
                    }
                }
            }
            let percent = Tenths.percentText(Tenths.share(attended, of: possible))
            var governor = try await Browser.signedIn(app, as: .governor)
            let page = try await governor.get(SiteURL.school(.newsletter, mainSchool))
            #expect(page.status == .ok)
            let html = page.body.string
            #expect(html.contains("was \(percent).") && html.contains("yn \(percent)."))
            #expect(html.contains("Monday 16 November 2026") && html.contains("dydd Llun 16 Tachwedd 2026"))
            let image = try await governor.get(SiteURL.school(.newsletterImage, mainSchool))
            #expect(image.headers.contentType?.description.hasPrefix("image/svg+xml") == true)
            let svg = image.body.string
            #expect(svg.hasPrefix("<svg") && svg.contains(">\(percent)</text>") && svg.contains("<desc"))
            for pupil in try await store.reference.roll(of: mainSchool, in: week).map(\.pupil) {
                #expect(!html.contains(pupil.displayName) && !svg.contains(pupil.displayName))
            }
            // With a target set, the text says it and whether the week met it.
            var head = try await Browser.signedIn(app, as: .headTeacher)
            _ = try await head.post(SiteURL.school(.schoolTarget, mainSchool), ["target": "99.5"])
            let withTarget = try await head.get(SiteURL.school(.newsletter, mainSchool)).body.string
            #expect(withTarget.contains("Our target this year is 99.5%. Last week was below it."))
        }
    }
}

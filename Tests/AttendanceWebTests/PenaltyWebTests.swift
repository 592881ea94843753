import AttendanceCore
import Foundation
import Testing
import VaporTesting

@testable import AttendanceStore
@testable import AttendanceWeb

/// The penalty notice pages: the head requests from the school's cases, governors see counts only, the Education
/// Lead weighs the request beside the record, approves, issues, records a payment and refers an unpaid notice.
@Suite struct PenaltyWebTests {
    /// A case warned three weeks before the test's today, with unauthorised absence after the warning.
    static func warnedCase(_ store: Store) async throws -> (PenaltyCase, Pupil) {
        let roll = try await store.reference.roll(
            of: try await store.reference.requireSchool(mainSchool).id, in: DateRange(testToday, testToday)!)
        var chosen: Pupil?
        for entry in roll
        where try await store.contacts.contacts(of: entry.pupil.upn).contains(where: \.parentalResponsibility) {
            chosen = entry.pupil
            break
        }
        let pupil = try #require(chosen)
        try await store.registers.writeMarks(
            [
                SchoolMark(
                    school: mainSchool,
                    mark: Mark(upn: pupil.upn, session: SchoolSession(LocalDate(iso: "2026-11-24")!, .pm), code: "O"))
            ],
            by: AuditActor("office@demo.example"), reason: "test")
        let found = try await store.penalties.openPenaltyCase(
            for: pupil.upn, school: mainSchool,
            term: DateRange(LocalDate(iso: "2026-09-01")!, LocalDate(iso: "2026-12-18")!)!,
            criteria: [.unauthorised], counts: ["unauthorised": 12], warnedOn: LocalDate(iso: "2026-11-04")!,
            by: AuditActor("head@demo.example"))
        return (found, pupil)
    }

    @Test func fromTheHeadsRequestToPaymentAndProsecution() async throws {
        try await withWebApp { app, store in
            let (found, pupil) = try await Self.warnedCase(store)
            var head = try await Browser.signedIn(app, as: .headTeacher)
            let page = try await head.get(SiteURL.school(.schoolPenalties, mainSchool)).body.string
            #expect(page.contains(pupil.displayName) && page.contains("class=\"stacked request-penalty\""))
            // The notes are needed; with them the request goes to the Education Lead.
            let action = SiteURL.school(.requestPenalty, mainSchool, id: found.id)
            #expect(try await head.post(action, ["engagement": "", "equality": ""]).status == .unprocessableEntity)
            let sent = try await head.post(
                action, ["engagement": "Two letters unanswered; missed the meeting", "equality": "No concerns known"])
            #expect(sent.status == .seeOther)
            let requested = try await store.penalties.requirePenaltyCase(found.id)
            #expect(requested.status == .requested && requested.pack != .none)
            // The evidence pack is kept with the request: the document in the head's language (the O after the
            // warning marked as counted, the head's notes), its data, and its PDF where WeasyPrint is installed.
            let packPath = SiteURL.school(.penaltyPack, mainSchool, id: found.id)
            let pack = try await head.get(packPath).body.string
            for words in [
                "Evidence for a penalty notice request", pupil.displayName, "Two letters unanswered",
                "No concerns known", "<th scope=\"row\">2026-11-24</th>", "class=\"counted\">O</td>",
                "Parents with parental responsibility",
            ] {
                #expect(pack.contains(words), "\(words)")
            }
            let data = try await head.get(SiteURL.school(.penaltyPackData, mainSchool, id: found.id))
            let kept = try JSONDecoder().decode(PenaltyPack.self, from: Data(data.body.string.utf8))
            #expect(kept.caseID == found.id && kept.pupil.upn == pupil.upn.value && kept.through == testToday.iso)
            if requested.pack == .documentAndPDF {
                let pdf = try await head.get(SiteURL.school(.penaltyPackPDF, mainSchool, id: found.id))
                #expect(pdf.body.string.hasPrefix("%PDF"))
            }
            // A governor sees the counts, never the pupil, and not the pack.
            var governor = try await Browser.signedIn(app, as: .governor)
            let counts = try await governor.get(SiteURL.school(.schoolPenalties, mainSchool)).body.string
            #expect(!counts.contains(pupil.displayName) && !counts.contains(pupil.upn.value))
            #expect(try await governor.get(packPath).status == .forbidden)
            #expect(counts.contains("class=\"figures penalty-report\"") && counts.contains("unauthorised absence"))
            // The Education Lead sees the request with what to weigh, and approves it with a reason.
            var lead = try await Browser.signedIn(app, as: .educationLead)
            let queue = try await lead.get(SiteURL.penaltyQueue.path()).body.string
            let leadsPack = try await lead.get(packPath).body.string
            #expect(queue.contains(packPath) && leadsPack == pack)
            for words in [
                "Two letters unanswered", "No concerns known", "This term so far", "notices in the last 12 months",
            ] {
                #expect(queue.contains(words), "\(words)")
            }
            let decision = SiteURL.decidePenalty.path(["id": String(found.id)])
            #expect(
                try await lead.post(decision, ["decision": "approve", "reason": "Meets the code"]).status == .seeOther)
            let issued = try await lead.post(
                SiteURL.issuePenalty.path(["id": String(found.id)]), ["method": "hand", "issued_on": testToday.iso])
            #expect(issued.status == .seeOther)
            let notices = try await store.penalties.requirePenaltyCase(found.id).notices
            #expect(!notices.isEmpty && notices.allSatisfy { $0.receivedOn == testToday })
            // Each parent's notice is kept as a letter addressed to them alone, in their language, saying the
            // number, the amounts and the days.
            let letters = try await store.letters.letters(of: pupil.upn).filter { $0.kind == .penaltyNotice }
            #expect(letters.count == notices.count)
            for notice in notices {
                let letter = try #require(letters.first { $0.recipientNames == [notice.parent] })
                let html = try #require(try await store.letters.letter(id: letter.id)?.html)
                #expect(html.contains(notice.number) && html.contains("£60") && html.contains("£120"))
                #expect(html.contains("444"))
            }
            // £60 within 28 days; a wrong amount is refused on the page.
            let pay = SiteURL.payPenalty.path(["id": String(notices[0].id)])
            let wrong = try await lead.post(
                pay, ["amount": "120", "paid_on": testToday.iso, "reference": "WX-1"])
            #expect(wrong.status == .unprocessableEntity && wrong.body.string.contains("amount due"))
            #expect(
                try await lead.post(
                    pay, ["amount": "60", "paid_on": testToday.iso, "reference": "WX-1"]
                )
                .status == .seeOther)
            #expect(try await store.penalties.requirePenaltyCase(found.id).notices[0].paidPence == 6000)
            // Another notice unpaid after day 42 goes to the prosecution list, and is referred.
            if notices.count > 1 {
                try await store.penalties.runPenaltyNotices(asOf: testToday.adding(days: 43), policy: .wrexham2025)
                let unpaid = try await lead.get(SiteURL.penaltyQueue.path()).body.string
                #expect(unpaid.contains(SiteURL.referPenalty.path(["id": String(notices[1].id)])))
                #expect(
                    try await lead.post(SiteURL.referPenalty.path(["id": String(notices[1].id)]), [:]).status
                        == .seeOther)
                #expect(
                    try await store.penalties.requirePenaltyCase(found.id).notices[1].status == .prosecutionReferred)
                // Issue 31, 5: the referral is a prosecution's first step, listed on the lead's page with the pack.
                let referred = try await store.penalties.requirePenaltyCase(found.id).notices[1]
                let prosecution = try #require(
                    try await store.penalties.legalProceedings().first {
                        $0.origin == .penaltyNotice && $0.originID == referred.id
                    })
                #expect(prosecution.kind == .prosecution && prosecution.events.map(\.step) == [.referred])
                #expect(prosecution.next == [.laid])
            }
        }
    }
}

import AttendanceCore
import AttendanceInterop
import Foundation
import SQLKit
import Testing

@testable import AttendanceStore

/// A penalty notice case through every step on both databases, with its guards at the edges.
extension StoreTests {
    static let penaltyParents = """
        upn,name,relationship,priority,parental_responsibility,mobile,email,language,lives_with_pupil
        \(alys),Siân Jones,Mother,1,Y,07700 900111,sian@example.org,cy,Y
        \(alys),Huw Jones,Father,2,Y,07700 900222,,en,
        \(alys),Dai Evans,Father,3,Y,07700 900333,,en,N
        \(cai),Siân Jones,Mother,1,Y,07700 900111,sian@example.org,cy,Y
        """

    /// A pack's document as the web edge would make it, without the words: enough to see what is kept.
    @Sendable static func packDocument(_ pack: PenaltyPack) async throws -> PenaltyPackDocument {
        PenaltyPackDocument(language: .en, html: "<p>pack \(pack.caseID)</p>", pdf: nil)
    }

    /// The Wrexham policy with another local limit on notices per parent.
    static func policy(limit: Int) throws -> Policy {
        try Policy(
            json: Data(
                Policy.wrexham2025JSON.replacingOccurrences(
                    of: #""notices_per_parent_per_12_months": 2"#,
                    with: "\"notices_per_parent_per_12_months\": \(limit)"
                ).utf8))
    }

    @Test(arguments: TestDatabase.available)
    func aPenaltyCaseGoesFromWarningToPaymentOrProsecution(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await loadFixture(store)
            try await store.contacts.importContacts(try ImportParser.contacts(Self.penaltyParents))
            let policy = Policy.wrexham2025
            let head = AuditActor("head@example.org"), lead = AuditActor("lead@example.org")
            let term = DateRange(LocalDate(iso: "2026-01-05")!, LocalDate(iso: "2026-03-27")!)!
            let warned = LocalDate(iso: "2026-01-19")!
            // Unauthorised absence after the warning: O on the Wednesday after.
            try await store.registers.importMarks(
                try ImportParser.marks(marksCSV(["\(alys),2026-01-21,AM,O,"]), codes: .wales2010), school: school,
                source: "t.csv", authorisesAt: [school])
            let opened = try await store.penalties.openPenaltyCase(
                for: alys, school: school, term: term, criteria: [.unauthorised], counts: ["unauthorised": 12],
                warnedOn: warned, by: head)
            #expect(opened.status == .warned && opened.events.map(\.step) == ["eligible", "warn"])
            // Opening again for the same term gives the same case.
            #expect(
                try await store.penalties.openPenaltyCase(
                    for: alys, school: school, term: term, criteria: [.unauthorised], counts: [:], warnedOn: warned,
                    by: head
                ).id == opened.id)
            // Nine school days after the warning is too soon; ten is not.
            await #expect(throws: StoreError.penalty(.tooSoonAfterWarning(schoolDaysWaited: 9, needed: 10))) {
                _ = try await store.penalties.requestPenalty(
                    opened.id, school: school, engagement: "", equality: "", today: LocalDate(iso: "2026-01-30")!,
                    policy: policy, by: head, document: Self.packDocument)
            }
            let requested = try await store.penalties.requestPenalty(
                opened.id, school: school, engagement: "No reply to two letters", equality: "None known",
                today: LocalDate(iso: "2026-02-02")!, policy: policy, by: head, document: Self.packDocument)
            #expect(requested.status == .requested && requested.pack == .document)
            // The pack, kept as data with its document: the term's register to the day, the O after the warning
            // counted, the head's notes, both parents with no notices yet, and Cai as another child of Siân's.
            let kept = try #require(try await store.penalties.penaltyPack(case: opened.id))
            #expect(kept.html == "<p>pack \(opened.id)</p>" && kept.pdf == nil)
            #expect(kept.pack.through == "2026-02-02" && kept.pack.engagement == "No reply to two letters")
            #expect(
                kept.pack.sessions.contains {
                    $0.date == "2026-01-21" && $0.half == "AM" && $0.code == "O" && $0.counted
                })
            #expect(kept.pack.sessions.allSatisfy { $0.date >= "2026-01-05" && $0.date <= "2026-02-02" })
            #expect(kept.pack.parents.map(\.name) == ["Siân Jones", "Huw Jones", "Dai Evans"])
            #expect(kept.pack.parents.map(\.livesWithPupil) == [true, nil, false])
            #expect(kept.pack.parents.allSatisfy { $0.noticesInLastYear == 0 })
            #expect(kept.pack.siblings.map(\.upn) == [cai.value])
            await #expect(throws: (any Error).self) {
                try await store.sql.raw("UPDATE penalty_packs SET html = 'x'").run()
            }
            // Only the Education Lead's answer follows; the head cannot issue yet.
            await #expect(throws: StoreError.penalty(.notNow(.requested, .issue))) {
                _ = try await store.penalties.issuePenaltyNotices(
                    opened.id, method: .post, issuedOn: LocalDate(iso: "2026-02-03")!, policy: policy, by: lead)
            }
            _ = try await store.penalties.decidePenalty(
                opened.id, approve: true, reason: "Meets the code", today: LocalDate(iso: "2026-02-03")!,
                policy: policy, by: lead)
            // Posted on Thursday 5 February: received Monday 9 February.
            let issued = try await store.penalties.issuePenaltyNotices(
                opened.id, method: .post, issuedOn: LocalDate(iso: "2026-02-05")!, policy: policy, by: lead)
            // One notice for each parent with parental responsibility who lives with the child: not for Dai, whom the
            // records say lives elsewhere; Huw, not recorded either way, is taken to live there.
            #expect(issued.status == .issued && issued.notices.map(\.parent) == ["Siân Jones", "Huw Jones"])
            #expect(issued.notices.allSatisfy { $0.receivedOn == LocalDate(iso: "2026-02-09")! })
            #expect(Set(issued.notices.map(\.language)) == [.cy, .en])
            let (mother, father) = (issued.notices[0], issued.notices[1])
            let received = mother.receivedOn
            // Day 29 wants 120, not 60; day 28 takes 60.
            await #expect(throws: StoreError.penalty(.wrongAmount(due: 12000))) {
                try await store.penalties.recordPenaltyPayment(
                    notice: mother.id, pence: 6000, paidOn: received.adding(days: 29), reference: "R1",
                    policy: policy, by: lead)
            }
            try await store.penalties.recordPenaltyPayment(
                notice: mother.id, pence: 6000, paidOn: received.adding(days: 28), reference: "R1", policy: policy,
                by: lead)
            // Day 42: the father's is still payable; day 43 it is unpaid and can no longer be paid.
            #expect(try await store.penalties.runPenaltyNotices(asOf: received.adding(days: 42), policy: policy) == 0)
            #expect(try await store.penalties.runPenaltyNotices(asOf: received.adding(days: 43), policy: policy) == 1)
            await #expect(throws: StoreError.penalty(.lapsed)) {
                try await store.penalties.recordPenaltyPayment(
                    notice: father.id, pence: 12000, paidOn: received.adding(days: 42), reference: "R2",
                    policy: policy, by: lead)
            }
            try await store.penalties.referPenaltyNotice(father.id, reason: "Unpaid after 42 days", by: lead)
            let after = try await store.penalties.requirePenaltyCase(opened.id)
            #expect(after.notices.map(\.status) == [.paid, .prosecutionReferred])
            #expect(after.notices[0].paidPence == 6000)
            // The record of steps is the database's to keep: it refuses a change.
            await #expect(throws: (any Error).self) {
                try await store.sql.raw("UPDATE penalty_events SET step = 'x'").run()
            }

            // Another case for the same pupil in the same term: a prosecution has begun, so it cannot be approved.
            let again = try await store.penalties.openPenaltyCase(
                for: alys, school: school, term: term, criteria: [.unauthorised], counts: ["unauthorised": 10],
                warnedOn: warned, by: head)
            #expect(again.id != opened.id)
            _ = try await store.penalties.requestPenalty(
                again.id, school: school, engagement: "", equality: "", today: LocalDate(iso: "2026-02-02")!,
                policy: policy, by: head, document: Self.packDocument)
            await #expect(throws: StoreError.penalty(.prosecutionBegun)) {
                _ = try await store.penalties.decidePenalty(
                    again.id, approve: true, reason: "Again", today: LocalDate(iso: "2026-03-02")!, policy: policy,
                    by: lead)
            }
            // Declined with a reason: nothing follows; withdrawn is the other way out.
            let declined = try await store.penalties.decidePenalty(
                again.id, approve: false, reason: "Prosecution under way", today: LocalDate(iso: "2026-03-02")!,
                policy: policy, by: lead)
            #expect(declined.status == .declined)
            // The day of the decline is what the procedure counts new sessions from.
            #expect(
                try await store.penalties.penaltyDeclines(of: alys) == [
                    LocalDate(iso: Timestamp.text(Date()).prefix(10))!
                ])
            #expect(declined.events.last?.reason == "Prosecution under way" && declined.events.last?.by == lead.name)
            // The term's report: two requests, one approved and one declined, two notices, one paid at £60, one
            // unpaid and referred; the same under the one criterion.
            let lines = PenaltyReport.lines(
                try await store.penalties.penaltyCases(school: school), notice: policy.penaltyNotice)
            var expected = PenaltyTally()
            expected.requested = 2
            expected.approved = 1
            expected.declined = 1
            expected.issued = 2
            expected.paidEarly = 1
            expected.unpaid = 1
            expected.referred = 1
            #expect(lines.map(\.criterion) == [nil, .unauthorised])
            #expect(lines.allSatisfy { $0.tally == expected && $0.term == term })
        }
    }

    @Test(arguments: TestDatabase.available)
    func aSecondNoticeToTheSameParentInsideTheLimitIsRefused(database: TestDatabase) async throws {
        try await database.withStore { store in
            try await loadFixture(store)
            try await store.contacts.importContacts(try ImportParser.contacts(Self.penaltyParents))
            let policy = try Self.policy(limit: 1)
            let head = AuditActor("head@example.org"), lead = AuditActor("lead@example.org")
            let term = DateRange(LocalDate(iso: "2026-01-05")!, LocalDate(iso: "2026-03-27")!)!
            try await store.registers.importMarks(
                try ImportParser.marks(
                    marksCSV(["\(alys),2026-01-21,AM,O,", "\(cai),2026-01-21,AM,O,"]), codes: .wales2010),
                school: school, source: "t.csv", authorisesAt: [school])
            var ids: [PenaltyCaseID] = []
            for pupil in [alys, cai] {
                let opened = try await store.penalties.openPenaltyCase(
                    for: pupil, school: school, term: term, criteria: [.unauthorised], counts: [:],
                    warnedOn: LocalDate(iso: "2026-01-19")!, by: head)
                _ = try await store.penalties.requestPenalty(
                    opened.id, school: school, engagement: "", equality: "", today: LocalDate(iso: "2026-02-02")!,
                    policy: policy, by: head, document: Self.packDocument)
                ids.append(opened.id)
            }
            _ = try await store.penalties.decidePenalty(
                ids[0], approve: true, reason: "Yes", today: LocalDate(iso: "2026-02-03")!, policy: policy, by: lead)
            _ = try await store.penalties.issuePenaltyNotices(
                ids[0], method: .hand, issuedOn: LocalDate(iso: "2026-02-03")!, policy: policy, by: lead)
            // Siân Jones is also Cai's mother: a second notice to her in 12 months is over the limit of one.
            await #expect(throws: StoreError.penalty(.overParentLimit(parent: "Siân Jones"))) {
                _ = try await store.penalties.decidePenalty(
                    ids[1], approve: true, reason: "Yes", today: LocalDate(iso: "2026-02-04")!, policy: policy,
                    by: lead)
            }
            #expect(try await store.penalties.requirePenaltyCase(ids[1]).status == .requested)
        }
    }
}

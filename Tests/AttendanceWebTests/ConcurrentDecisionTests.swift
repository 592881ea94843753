import AttendanceCore
import Foundation
import SQLKit
import Testing
import VaporTesting

@testable import AttendanceStore
@testable import AttendanceWeb

/// Two clicks make one decision: decisions fired at once, on SQLite and on PostgreSQL, record exactly one step (and
/// one letter), and the rest are refused with nothing written.
@Suite struct ConcurrentDecisionTests {
    /// Sends the same kind of request `count` times at once and returns the statuses.
    static func atOnce(
        _ count: Int, _ send: @escaping @Sendable (Int) async throws -> TestingHTTPResponse
    ) async throws -> [HTTPStatus] {
        try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
            for index in 0..<count { group.addTask { try await send(index).status } }
            var statuses: [HTTPStatus] = []
            for try await status in group { statuses.append(status) }
            return statuses
        }
    }

    /// A form posted with a signed-in browser's cookie and token, as another tab of the same browser would.
    static func post(_ app: Application, as browser: Browser, _ path: String, _ form: [String: String])
        async throws -> TestingHTTPResponse
    {
        var fields = form
        fields["csrf"] = browser.csrf
        let body = fields.sorted { $0.key < $1.key }
            .map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
            .joined(separator: "&")
        let headers: HTTPHeaders = [
            "Content-Type": "application/x-www-form-urlencoded", "Cookie": browser.cookie,
        ]
        return try await app.testing().sendRequest(.POST, path, headers: headers, body: ByteBuffer(string: body))
    }

    @Test(arguments: WebTestDatabase.available)
    func eightLeaveDecisionsAtOnceMakeOneDecisionAndOneLetter(_ database: WebTestDatabase) async throws {
        try await withWebApp(on: database) { app, store in
            let child = try #require(try await store.identity.user(email: "parent@demo.example")?.grants.first?.child)
            let leave = try await store.leave.requestLeave(
                for: child, dates: DateRange(LocalDate(iso: "2026-11-30")!, LocalDate(iso: "2026-12-01")!)!,
                reason: "A wedding", category: nil, details: "", siblings: "", today: nil,
                by: AuditActor("parent@demo.example"))
            let head = try await HardeningFindingsTests.token(store, "head@demo.example")
            let statuses = try await Self.atOnce(8) { index in
                let body =
                    index % 2 == 0
                    ? #"{"decision":"agreed","from":"2026-11-30","to":"2026-12-01","reason":"Agreed"}"#
                    : #"{"decision":"refused","reason":"Not exceptional"}"#
                return try await HardeningFindingsTests.api(
                    app, .POST, "/api/leave-requests/\(leave.id)/decision", token: head, body: body)
            }
            #expect(statuses.filter { $0 == .ok }.count == 1, "\(statuses)")
            #expect(statuses.filter { $0 == .conflict }.count == 7, "\(statuses)")
            let decisions = try await store.auditTrail.search(AuditQuery(upn: child)).filter {
                $0.action == "leave.decision"
            }
            #expect(decisions.count == 1)
            let letters = try await store.letters.letters(of: child).filter { $0.kind == .holidayDecision }
            #expect(letters.count == 1)
            // The register holds the one decision's marks: H on both days if agreed, nothing if refused.
            let decided = try #require(try await store.leave.leaveRequest(leave.id))
            let marks = try await store.registers.marks(of: child, in: leave.dates).map(\.mark.code)
            #expect(decided.status == .agreed ? marks.allSatisfy { $0 == "H" } && !marks.isEmpty : marks.isEmpty)
        }
    }

    @Test(arguments: WebTestDatabase.available)
    func penaltyStepsAtOnceRecordOneStepEach(_ database: WebTestDatabase) async throws {
        try await withWebApp(on: database) { app, store in
            let (found, _) = try await PenaltyWebTests.warnedCase(store)
            var head = try await Browser.signedIn(app, as: .headTeacher)
            try await head.get(SiteURL.school(.schoolPenalties, mainSchool))
            let request = SiteURL.school(.requestPenalty, mainSchool, id: found.id)
            let requests = try await Self.atOnce(4) { [head] _ in
                try await Self.post(app, as: head, request, ["engagement": "Unanswered", "equality": "None known"])
            }
            #expect(requests.filter { $0 == .seeOther }.count == 1, "\(requests)")
            #expect(requests.allSatisfy { $0.code < 500 }, "\(requests)")
            var lead = try await Browser.signedIn(app, as: .educationLead)
            try await lead.get(SiteURL.penaltyQueue.path())
            let decision = SiteURL.decidePenalty.path(["id": String(found.id)])
            let decisions = try await Self.atOnce(8) { [lead] index in
                try await Self.post(
                    app, as: lead, decision,
                    ["decision": index % 2 == 0 ? "approve" : "decline", "reason": "Weighed the record"])
            }
            #expect(decisions.filter { $0 == .seeOther }.count == 1, "\(decisions)")
            #expect(decisions.allSatisfy { $0.code < 500 }, "\(decisions)")
            var steps = try await store.penalties.requirePenaltyCase(found.id).events.map(\.step)
            #expect(steps.filter { ["request", "approve", "decline"].contains($0) }.count == 2, "\(steps)")
            guard try await store.penalties.requirePenaltyCase(found.id).status == .approved else { return }
            let issue = SiteURL.issuePenalty.path(["id": String(found.id)])
            let issues = try await Self.atOnce(4) { [lead] _ in
                try await Self.post(app, as: lead, issue, ["method": "hand", "issued_on": testToday.iso])
            }
            #expect(issues.filter { $0 == .seeOther }.count == 1, "\(issues)")
            #expect(issues.allSatisfy { $0.code < 500 }, "\(issues)")
            let issued = try await store.penalties.requirePenaltyCase(found.id)
            let parents = try await store.contacts.contacts(of: found.upn).filter(\.receivesPenaltyNotice).count
            #expect(issued.notices.count == parents)
            let notice = try #require(issued.notices.first)
            let pay = SiteURL.payPenalty.path(["id": String(notice.id)])
            let payments = try await Self.atOnce(4) { [lead] index in
                try await Self.post(
                    app, as: lead, pay, ["amount": "60", "paid_on": testToday.iso, "reference": "WX-\(index)"])
            }
            #expect(payments.filter { $0 == .seeOther }.count == 1, "\(payments)")
            #expect(payments.allSatisfy { $0.code < 500 }, "\(payments)")
            steps = try await store.penalties.requirePenaltyCase(found.id).events.map(\.step)
            #expect(steps.filter { $0 == "pay" }.count == 1 && steps.filter { $0 == "issue" }.count == 1, "\(steps)")
        }
    }

    @Test(arguments: WebTestDatabase.available)
    func eswClosesAndAbsenceConfirmationsAtOnceRecordOnce(_ database: WebTestDatabase) async throws {
        try await withWebApp(on: database) { app, store in
            let pupil = try #require(try await onRollToday(store).first)
            let found = try await HardeningFindingsTests.allocatedEswCase(store, for: pupil.upn)
            var esw = try await Browser.signedIn(app, as: .educationSocialWorker)
            try await esw.get(SiteURL.school(.eswCase, mainSchool, id: found.id))
            let close = SiteURL.school(.closeEsw, mainSchool, id: found.id)
            let closes = try await Self.atOnce(8) { [esw] _ in
                try await Self.post(app, as: esw, close, ["outcome": "improved", "reason": "Attending again"])
            }
            #expect(closes.filter { $0 == .seeOther }.count == 1, "\(closes)")
            #expect(closes.allSatisfy { $0.code < 500 }, "\(closes)")
            #expect(try await store.esw.requireEswCase(found.id).events.filter { $0.step == "close" }.count == 1)
            // A parent's report of illness today, confirmed by the head from eight tabs at once.
            let child = try #require(try await store.identity.user(email: "parent@demo.example")?.grants.first?.child)
            let report = try await store.leave.reportAbsence(
                for: child, dates: DateRange(day: testToday), part: .whole, reason: .illness, note: "",
                today: testToday, by: AuditActor("parent@demo.example"))
            var head = try await Browser.signedIn(app, as: .headTeacher)
            try await head.get("/schools/\(mainSchool)/office")
            let confirm = "/schools/\(mainSchool)/office/reports/\(report.id)/confirm"
            let confirms = try await Self.atOnce(8) { [head] _ in
                try await Self.post(app, as: head, confirm, ["code": "I"])
            }
            #expect(confirms.filter { $0 == .seeOther }.count == 1, "\(confirms)")
            #expect(confirms.allSatisfy { $0.code < 500 }, "\(confirms)")
            let audit = try await store.auditTrail.search(AuditQuery(upn: child)).filter {
                $0.action == "absence.confirm"
            }
            #expect(audit.count == 1)
        }
    }

    /// Waits for a letter job to end; true when it made its batch, false when it failed.
    static func finished(_ app: Application, as browser: Browser, job: String) async throws -> Bool {
        var reader = browser
        for _ in 0..<1200 {
            let page = try await reader.get(job)
            if page.status == .seeOther { return true }
            if page.body.string.contains("role=\"alert\"") { return false }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("a letter job did not end in two minutes")
        return false
    }

    @Test(arguments: WebTestDatabase.available)
    func lettersProducedTwiceAtOnceAreKeptOnce(_ database: WebTestDatabase) async throws {
        try await withWebApp(on: database) { app, store in
            try await store.procedure.runProcedure(policy: .wrexham2025, asOf: testToday, dryRun: false)
            // The office and the head produce the day's letters at the same moment.
            var office = try await Browser.signedIn(app, as: .attendanceAdministrator)
            try await office.get("/schools/\(mainSchool)/actions")
            var head = try await Browser.signedIn(app, as: .headTeacher)
            try await head.get("/schools/\(mainSchool)/actions")
            let due = "/schools/\(mainSchool)/letters/due"
            let starts = try await withThrowingTaskGroup(of: (Browser, TestingHTTPResponse).self) { group in
                for browser in [office, head] {
                    group.addTask { (browser, try await Self.post(app, as: browser, due, [:])) }
                }
                var all: [(Browser, TestingHTTPResponse)] = []
                for try await started in group { all.append(started) }
                return all
            }
            var made = 0
            for (browser, started) in starts where started.status == .seeOther {
                let job = try #require(started.headers.first(name: .location))
                if try await Self.finished(app, as: browser, job: job) { made += 1 }
            }
            #expect(made >= 1)
            // Every action's letters come from one batch, whichever made them (a letter a parent).
            let twice = try await store.sql.raw(
                """
                SELECT action_id FROM letters WHERE action_id IS NOT NULL
                GROUP BY action_id HAVING COUNT(DISTINCT batch) > 1
                """
            ).all()
            #expect(twice.isEmpty, "\(twice.count) actions with letters from two batches")
            let kept = try await store.sql.raw("SELECT COUNT(*) AS n FROM letters WHERE batch IS NOT NULL")
                .first(decodingColumn: "n", as: Int.self)
            #expect((kept ?? 0) > 0)

            // A penalty notice warning clicked four times: one letter, one case.
            let school = try await store.reference.requireSchool(mainSchool)
            let flag = try #require(
                try await store.procedure.actions(schoolID: school.id).first {
                    $0.action == .fpnEligible && $0.status == .pending
                })
            let warn = "/schools/\(mainSchool)/actions/\(flag.id)/penalty-warning"
            let warnings = try await Self.atOnce(4) { [head] _ in
                try await Self.post(app, as: head, warn, ["confirmed": "yes"])
            }
            #expect(warnings.allSatisfy { $0.code < 500 }, "\(warnings)")
            let sent = try await store.letters.letters(of: flag.pupil.upn).filter { $0.kind == .fpnWarning }
            #expect(sent.count == 1, "\(warnings)")
            #expect(
                try await store.penalties.penaltyCases(school: mainSchool).filter { $0.upn == flag.pupil.upn }.count
                    == 1)
        }
    }

    /// Two people pressing "Run" together: both answer, and each action is recorded once.
    @Test(arguments: WebTestDatabase.available)
    func procedureRunsAtOnceRecordEachActionOnce(_ database: WebTestDatabase) async throws {
        try await withWebApp(on: database) { app, store in
            let head = try await Browser.signedIn(app, as: .headTeacher)
            let runs = try await Self.atOnce(4) { [head] _ in
                try await Self.post(app, as: head, "/schools/\(mainSchool)/actions/run", [:])
            }
            #expect(runs.allSatisfy { $0 == .ok }, "\(runs)")
            #expect(try await !store.procedure.actions(school: mainSchool).isEmpty)
        }
    }
}

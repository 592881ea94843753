import AttendanceCore
import AttendanceLetters
import AttendanceStore
import Foundation
import Vapor

/// Penalty notices: a school's cases (the head requests or withdraws), and the education lead's queue across the
/// authority (decide, issue, record payments, refer unpaid notices for prosecution). Every step goes through the
/// store's checks (`PenaltyRules`); a refusal is said in the reader's language on the page it came from.
enum PenaltyController {
    @Sendable static func school(_ request: Request) async throws -> Response {
        let notice = request.query[String.self, at: "saved"] != nil ? request.text("penalty.saved") : nil
        return try await renderSchool(request, notice: notice, error: nil, status: .ok)
    }

    static func renderSchool(_ request: Request, notice: String?, error: String?, status: HTTPStatus) async throws
        -> Response
    {
        guard case .school(let laestab) = request.target else { throw Abort(.notFound) }
        let principal = try request.signedIn
        let store = request.context.store
        let school = try await store.reference.requireSchool(laestab)
        let cases = try await store.penalties.penaltyCases(school: laestab)
        let named = try seesNames(request, at: laestab)
        let forHead = principal.allows(.decidePenalty, .school(laestab))
        // Whether each warned case may be requested today: the form is offered only then.
        var checks: [PenaltyCaseID: PenaltyRepository.PenaltyRequestCheck] = [:]
        if forHead {
            for found in cases where found.status == .warned {
                checks[found.id] = try await store.penalties.penaltyRequestCheck(
                    found, today: request.context.today, policy: request.context.policy)
            }
        }
        return try Page.render(
            SchoolPenaltiesPage.make(
                school: school.school, cases: cases, pupils: try await pupils(of: cases, store: store),
                countsOnly: !named, forHead: forHead, today: request.context.today, policy: request.context.policy,
                checks: checks, language: request.language, names: try await request.names(), notice: notice,
                error: error, text: request.text),
            request: request, status: status)
    }

    /// Whether the reader sees a school's cases by name: the access policy's rule, each grant judged alone
    /// (governors see counts only, never a named pupil, whatever other role they hold).
    static func seesNames(_ request: Request, at laestab: LAESTAB) throws -> Bool {
        try request.signedIn.allows(.viewPenaltyCases, .school(laestab))
    }

    static func pupils(of cases: [PenaltyCase], store: Store) async throws -> [UPN: Pupil] {
        try await store.reference.pupils(cases.map(\.upn))
    }

    @Sendable static func request(_ request: Request) async throws -> Response {
        guard case .school(let laestab) = request.target, let id = request.parameters.get("id", as: PenaltyCaseID.self)
        else {
            throw Abort(.notFound)
        }
        let form: PenaltyForms.Request
        do { form = try request.form(PenaltyForms.Request.self) } catch let refusal as FormRefusal {
            return try await renderSchool(
                request, notice: nil, error: request.text("penalty.needNotes") + request.refusalDetail(refusal),
                status: .unprocessableEntity)
        }
        let (engagement, equality) = (form.engagement, form.equality)
        return try await step(request, back: .school(laestab)) {
            _ = try await request.context.store.penalties.requestPenalty(
                id, school: laestab, engagement: engagement, equality: equality, today: request.context.today,
                policy: request.context.policy, by: request.actor
            ) { pack in try await packDocument(pack, request: request) }
        }
    }

    /// The pack as the head sends it: a printable document in the head's language, and its PDF where WeasyPrint
    /// is installed. A PDF that fails leaves the HTML copy as the kept document (the page says there is no PDF).
    static func packDocument(_ pack: PenaltyPack, request: Request) async throws -> PenaltyPackDocument {
        let model = PenaltyPackPage.make(
            pack, policy: request.context.policy, language: request.language, names: try await request.names(),
            text: request.text)
        let html = try Page.document(model, request: request)
        var pdf: Data?
        if let maker = request.context.letters.pdf {
            do {
                pdf = try await maker.render([html]).each.first
            } catch {
                request.logger.warning("an evidence pack's PDF could not be made: \(error)")
            }
        }
        return PenaltyPackDocument(language: request.language, html: html, pdf: pdf)
    }

    /// A case's kept pack, for staff who see the school's cases by name (governors see counts only).
    static func keptPack(_ request: Request) async throws -> KeptPenaltyPack {
        guard case .school(let laestab) = request.target else { throw Abort(.notFound) }
        guard let id = request.parameters.get("id", as: PenaltyCaseID.self),
            let found = try? await request.context.store.penalties.requirePenaltyCase(id), found.school == laestab,
            let kept = try await request.context.store.penalties.penaltyPack(case: id)
        else { throw Abort(.notFound) }
        return kept
    }

    /// The kept copy, byte for byte; never rendered again.
    @Sendable static func pack(_ request: Request) async throws -> Response {
        Response.letterDocument(try await keptPack(request).html)
    }

    @Sendable static func packPDF(_ request: Request) async throws -> Response {
        let kept = try await keptPack(request)
        guard let pdf = kept.pdf else { throw Abort(.notFound) }
        return LettersController.file(pdf, name: "penalty-pack-\(kept.pack.pupil.upn)-\(kept.caseID).pdf")
    }

    /// The pack's data, as kept: for the authority's legal team and its own systems.
    @Sendable static func packData(_ request: Request) async throws -> Response {
        let kept = try await keptPack(request)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        let response = Response(status: .ok, body: .init(data: try encoder.encode(kept.pack)))
        response.headers.contentType = .json
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    @Sendable static func withdraw(_ request: Request) async throws -> Response {
        guard case .school(let laestab) = request.target, let id = request.parameters.get("id", as: PenaltyCaseID.self)
        else {
            throw Abort(.notFound)
        }
        let reason = ((try? request.content.get(String.self, at: "reason")) ?? "")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard try await request.context.store.penalties.requirePenaltyCase(id).school == laestab else {
            throw Abort(.notFound)
        }
        return try await step(request, back: .school(laestab)) {
            try await request.context.store.penalties.withdrawPenalty(case: id, reason: reason, by: request.actor)
        }
    }

    @Sendable static func queue(_ request: Request) async throws -> Response {
        let lettersNotMade = request.query[String.self, at: "letters"] == "not_made"
        let notice =
            request.query[String.self, at: "saved"] == nil
            ? nil : request.text(lettersNotMade ? "penalty.issuedLettersNotMade" : "penalty.saved")
        return try await renderQueue(request, notice: notice, error: nil, status: .ok)
    }

    static func renderQueue(_ request: Request, notice: String?, error: String?, status: HTTPStatus) async throws
        -> Response
    {
        let store = request.context.store
        let cases = try await store.penalties.penaltyCases(school: nil)
        let pupils = try await pupils(of: cases, store: store)
        var facts: [PenaltyCaseID: [PenaltyPacket.Fact]] = [:]
        for found in cases where found.status == .requested {
            facts[found.id] = try await packet(found, pupil: pupils[found.upn], every: cases, request: request)
        }
        return try Page.render(
            PenaltyQueuePage.make(
                cases: cases, pupils: pupils, facts: facts, today: request.context.today,
                policy: request.context.policy, names: try await request.names(), notice: notice, error: error,
                text: request.text),
            request: request, status: status)
    }

    /// What the education lead weighs beside a request, from the record: the school, the term's figures, the
    /// pupil's needs and circumstances as recorded, the letters sent, the head's notes, and each parent's notices.
    /// - Parameter every: every case in the authority, for each parent's notices in the last 12 months.
    static func packet(_ found: PenaltyCase, pupil: Pupil?, every cases: [PenaltyCase], request: Request)
        async throws -> [PenaltyPacket.Fact]
    {
        let store = request.context.store
        let text = request.text
        let plain = { (key: String) in text(key, [:]) }
        var facts: [PenaltyPacket.Fact] = []
        func add(_ key: String, _ value: String) { facts.append(.init(label: plain(key), value: value)) }
        add(
            "penalty.fact.school",
            (try await store.reference.school(found.school)?.school.name ?? "") + " (\(found.school))")
        let term = DateRange(found.term.start, min(found.term.end, request.context.today)) ?? found.term
        let (_, summary) = try await store.registers.summary(of: found.upn, in: term)
        add(
            "penalty.fact.term",
            text(
                "penalty.fact.termFigures",
                [
                    "percent": summary.attendancePercentText, "unauthorised": String(summary.unauthorised),
                    "possible": String(summary.possible),
                ]))
        if let pupil {
            let flags = [
                (pupil.additionalLearningNeeds, "penalty.fact.aln"), (pupil.freeSchoolMeals, "penalty.fact.fsm"),
                (pupil.lookedAfter, "penalty.fact.lac"),
            ].filter(\.0).map { plain($0.1) }
            add(
                "penalty.fact.recorded",
                flags.isEmpty ? plain("penalty.fact.noneRecorded") : flags.joined(separator: ", "))
        }
        let letters = try await store.letters.letters(of: found.upn).filter { $0.school == found.school }
        add(
            "penalty.fact.letters",
            letters.isEmpty
                ? plain("penalty.fact.noLetters")
                : letters.reversed().map {
                    "\(Timestamp.minute($0.producedAt).prefix(10)) " + plain("letters.kind.\($0.kind.rawValue)")
                }
                .joined(separator: "; "))
        if let asked = found.events.last(where: { $0.step == PenaltyStep.request.rawValue }), let data = asked.data,
            let notes = try? JSONDecoder().decode([String: String].self, from: Data(data.utf8))
        {
            add("penalty.form.engagement", notes["engagement"] ?? "")
            add("penalty.form.equality", notes["equality"] ?? "")
        }
        let parents = try await store.contacts.contacts(of: found.upn).filter(\.parentalResponsibility)
        let yearAgo = request.context.today.adding(days: -365)
        add(
            "penalty.fact.parents",
            parents.map { parent in
                let count = cases.flatMap(\.notices).filter {
                    $0.parent == parent.name && $0.issuedOn > yearAgo && $0.status != .withdrawn
                }.count
                return text("penalty.fact.parentNotices", ["parent": parent.name, "count": String(count)])
            }.joined(separator: "; "))
        return facts
    }

    @Sendable static func decide(_ request: Request) async throws -> Response {
        guard let id = request.parameters.get("id", as: PenaltyCaseID.self) else { throw Abort(.notFound) }
        let form: PenaltyForms.Decision
        do { form = try request.form(PenaltyForms.Decision.self) } catch let refusal as FormRefusal {
            return try await renderQueue(
                request, notice: nil, error: request.text("error.badRequest") + request.refusalDetail(refusal),
                status: .unprocessableEntity)
        }
        return try await step(request, back: nil) {
            _ = try await request.context.store.penalties.decidePenalty(
                id, approve: form.approve, reason: form.reason, today: request.context.today,
                policy: request.context.policy, by: request.actor)
        }
    }

    @Sendable static func issue(_ request: Request) async throws -> Response {
        guard let id = request.parameters.get("id", as: PenaltyCaseID.self) else { throw Abort(.notFound) }
        let form: PenaltyForms.Issue
        do {
            form = try request.form(PenaltyForms.Issue.self)
            // A notice is served on the day it is recorded or before, never ahead.
            guard form.issuedOn <= request.context.today else {
                throw FormRefusal(WebError.badField("issued_on", .future))
            }
        } catch let refusal as FormRefusal {
            return try await renderQueue(
                request, notice: nil, error: request.text("error.badRequest") + request.refusalDetail(refusal),
                status: .unprocessableEntity)
        }
        let (method, issuedOn) = (form.method, form.issuedOn)
        var issued: PenaltyCase?
        let answer = try await step(request, back: nil) {
            issued = try await request.context.store.penalties.issuePenaltyNotices(
                id, method: method, issuedOn: issuedOn, policy: request.context.policy, by: request.actor)
        }
        guard let issued else { return answer }
        // The notices are recorded: a failure to make their letters is reported as that, not as nothing done.
        do {
            try await produceNotices(issued, request: request)
        } catch {
            request.logger.error("penalty notices' letters were not made: \(String(reflecting: type(of: error)))")
            return Page.redirect(SiteURL.penaltyQueue.path(query: ["saved": "1", "letters": "not_made"]))
        }
        return answer
    }

    /// Each parent's notice as a kept letter in their language, from the record: its number, the term so far, the
    /// unauthorised sessions in it, the day of receipt, and the amounts and their last days by the policy.
    static func produceNotices(_ issued: PenaltyCase, request: Request) async throws {
        let store = request.context.store
        let policy = request.context.policy.penaltyNotice
        let period = DateRange(issued.term.start, min(issued.term.end, request.context.today)) ?? issued.term
        let (_, summary) = try await store.registers.summary(of: issued.upn, in: period)
        for notice in issued.notices where notice.status == .issued {
            let terms = policy.terms(receivedOn: notice.receivedOn)
            let details = [
                "notice_number": notice.number, "notice_from": period.start.iso, "notice_to": period.end.iso,
                "notice_sessions": String(summary.unauthorised), "notice_received": notice.receivedOn.iso,
                "notice_early_amount": PenaltyWords.pounds(policy.earlyPence), "notice_early_by": terms.earlyUntil.iso,
                "notice_late_amount": PenaltyWords.pounds(policy.latePence), "notice_late_by": terms.lateUntil.iso,
            ]
            do {
                _ = try await request.context.letters.produce(
                    .penaltyNotice, for: issued.upn, school: issued.school, details: details,
                    today: request.context.today, by: request.actor, signatory: try request.signedIn.user.displayName,
                    onlyTo: notice.parent)
            } catch LetterProblem.notOnRoll {
                // The pupil has left the school: the notice stands on record; its letter is the authority's to send.
                request.logger.warning("a penalty notice's letter could not be made: the pupil is no longer on roll")
            }
        }
        sendInBackground(request.context.letters, logger: request.logger)
    }

    @Sendable static func pay(_ request: Request) async throws -> Response {
        guard let id = request.parameters.get("id", as: Int.self) else { throw Abort(.notFound) }
        let form: PenaltyForms.Payment
        do {
            form = try request.form(PenaltyForms.Payment.self)
            guard form.paidOn <= request.context.today else { throw FormRefusal(WebError.badField("paid_on", .future)) }
        } catch let refusal as FormRefusal {
            return try await renderQueue(
                request, notice: nil, error: request.text("penalty.badPayment") + request.refusalDetail(refusal),
                status: .unprocessableEntity)
        }
        let (pence, paidOn, reference) = (form.pence, form.paidOn, form.reference)
        return try await step(request, back: nil) {
            try await request.context.store.penalties.recordPenaltyPayment(
                notice: id, pence: pence, paidOn: paidOn, reference: reference, policy: request.context.policy,
                by: request.actor)
        }
    }

    @Sendable static func refer(_ request: Request) async throws -> Response {
        guard let id = request.parameters.get("id", as: Int.self) else { throw Abort(.notFound) }
        let reason = ((try? request.content.get(String.self, at: "reason")) ?? "")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return try await step(request, back: nil) {
            try await request.context.store.penalties.referPenaltyNotice(
                id, reason: reason.isEmpty ? request.text("penalty.unpaidReason") : reason, by: request.actor)
        }
    }

    @Sendable static func withdrawNotice(_ request: Request) async throws -> Response {
        guard let id = request.parameters.get("id", as: Int.self) else { throw Abort(.notFound) }
        let reason = ((try? request.content.get(String.self, at: "reason")) ?? "")
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return try await step(request, back: nil) {
            try await request.context.store.penalties.withdrawPenaltyNotice(id, reason: reason, by: request.actor)
        }
    }

    /// Takes a step and goes back to the page it came from; a refusal by the process's rules is said there.
    static func step(
        _ request: Request, back school: AccessTarget?, _ work: () async throws -> Void
    ) async throws -> Response {
        do {
            try await work()
        } catch let error as StoreError {
            let key: String
            switch error {
            case .penalty(let problem): key = "error.penalty.\(problem.key)"
            case .notFound: throw Abort(.notFound)
            default: throw error
            }
            if case .school = school {
                return try await renderSchool(
                    request, notice: nil, error: request.text(key), status: .unprocessableEntity)
            }
            return try await renderQueue(request, notice: nil, error: request.text(key), status: .unprocessableEntity)
        }
        if case .school(let laestab) = school {
            return Page.redirect(SiteURL.school(.schoolPenalties, laestab, query: ["saved": "1"]))
        }
        return Page.redirect(SiteURL.penaltyQueue.path(query: ["saved": "1"]))
    }
}

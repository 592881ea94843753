import AttendanceCore
import AttendanceLetters
import AttendanceStore
import Vapor

/// Rewards (issue 34, point 9): who attended every session of a term or the year, who improved most, a fair draw
/// among them, and their certificates. The lists name pupils, so the page is for the people who see every pupil
/// of the school (its head, senior management and office); the governors' report counts them.
enum RewardsController {
    /// What the page lists for a period: both rewards' pupils, from the one rule in `Rewards`.
    struct Found {
        let choice: ReportPeriod
        let period: DateRange
        let earlier: DateRange?
        /// Pupils on the roll today who attended every session of the period, in form and name order.
        let full: [PupilSummary]
        /// Pupils on the roll today whose attendance rose most, the largest rise first.
        let improved: [(pupil: Pupil, improvement: Rewards.Improvement)]

        func entrants(_ reward: RewardKind) -> [UPN] {
            switch reward {
            case .fullAttendance: full.map(\.pupil.upn)
            case .mostImproved: improved.map(\.pupil.upn)
            }
        }
    }

    /// The period a page's address asks for (`period`: term, last-term or year), this term when not given; an
    /// unknown one is a bad address.
    static func period(_ request: Request) throws -> ReportPeriod {
        guard let asked = request.query[String.self, at: "period"] else { return .term }
        guard let known = ReportPeriod(rawValue: asked) else {
            throw WebError.badQuery("period", .notRecognised(asked))
        }
        return known
    }

    /// The period's lists; nil when the school's calendar has no such term.
    static func found(_ request: Request, _ laestab: LAESTAB, period choice: ReportPeriod) async throws -> Found? {
        let store = request.context.store
        let today = request.context.today
        let school = try await store.reference.requireSchool(laestab)
        guard
            let (period, earlier) = choice.ranges(
                calendar: try await store.reference.calendar(for: school.school), today: today)
        else { return nil }
        let onRoll = Set(try await store.reference.onRoll(laestab, on: today).map(\.upn))
        let lines = try await store.registers.schoolReport(laestab, in: period).filter { onRoll.contains($0.pupil.upn) }
        let full = lines.filter { Rewards.fullAttendance($0.summary) }.sorted {
            NaturalOrder.precedes($0.pupil.registrationGroup, $1.pupil.registrationGroup)
                || ($0.pupil.registrationGroup == $1.pupil.registrationGroup
                    && ($0.pupil.legalSurname, $0.pupil.legalForename) < ($1.pupil.legalSurname, $1.pupil.legalForename))
        }
        var improved: [(Pupil, Rewards.Improvement)] = []
        if let earlier {
            let before = try await store.registers.schoolReport(laestab, in: earlier)
            let pupils = Dictionary(lines.map { ($0.pupil.upn, $0.pupil) }, uniquingKeysWith: { first, _ in first })
            improved = Rewards.mostImproved(
                earlier: Dictionary(before.map { ($0.pupil.upn, $0.summary) }, uniquingKeysWith: +),
                later: Dictionary(lines.map { ($0.pupil.upn, $0.summary) }, uniquingKeysWith: +)
            ).compactMap { found in pupils[found.upn].map { ($0, found) } }
        }
        return Found(choice: choice, period: period, earlier: earlier, full: full, improved: improved)
    }

    @Sendable static func page(_ request: Request) async throws -> Response {
        guard case .school(let laestab) = request.target else { throw Abort(.notFound) }
        let store = request.context.store
        let choice = try period(request)
        let found = try await found(request, laestab, period: choice)
        var notice: String?
        if let drawn = request.query[String.self, at: "drawn"] {
            notice = request.text(drawn == "again" ? "rewards.drawnBefore" : "rewards.drawn")
        }
        let draws = try await store.rewards.draws(laestab)
        let pupils = try await store.reference.pupils(draws.flatMap(\.winners))
        var certified: [RewardKind: Set<UPN>] = [:]
        if let found {
            for reward in RewardKind.allCases {
                certified[reward] = try await store.rewards.certified(
                    laestab, reward: reward, span: found.choice.span, from: found.period.start)
            }
        }
        let page = RewardsPage.make(
            school: try await store.reference.requireSchool(laestab).school.name, laestab: laestab, found: found,
            choice: choice,
            draws: draws, winners: pupils, certified: certified,
            dataCheck: try await store.registers.lastDataCheck(laestab), names: try await request.names(),
            notice: notice,
            pdfMissing: request.context.letters.pdf == nil, text: { request.text($0, $1) })
        return try Page.render(page, request: request)
    }

    static let csvColumns = [
        "laestab", "reward", "from", "to", "upn", "pupil", "form", "sessions", "earlier_percent", "percent",
        "rise_points",
    ]

    /// The period's lists as a file (pupils named: audited as an export, for the same people as the page).
    @Sendable static func csv(_ request: Request) async throws -> Response {
        guard case .school(let laestab) = request.target else { throw Abort(.notFound) }
        guard let found = try await found(request, laestab, period: try period(request)) else {
            throw WebError.badQuery("period", .missingOrInvalid)
        }
        let (from, to) = (found.period.start.iso, found.period.end.iso)
        let full = found.full.map {
            [
                laestab.description, RewardKind.fullAttendance.rawValue, from, to, $0.pupil.upn.value,
                $0.pupil.displayName, $0.pupil.registrationGroup, String($0.summary.possible), "",
                Tenths.decimalText($0.summary.attendanceTenths), "",
            ]
        }
        let improved = found.improved.map { pupil, improvement in
            [
                laestab.description, RewardKind.mostImproved.rawValue, from, to, pupil.upn.value, pupil.displayName,
                pupil.registrationGroup, "", Tenths.decimalText(improvement.earlierTenths),
                Tenths.decimalText(improvement.laterTenths), Tenths.decimalText(improvement.riseTenths),
            ]
        }
        return try await ReturnsController.file(
            request, columns: csvColumns, rows: full + improved, name: "rewards-\(laestab)-\(from).csv")
    }

    /// The draw form: the reward and period, how many winners, and a seed (blank: the server picks one at random
    /// and records it).
    struct DrawForm: Form {
        let reward: RewardKind
        let period: ReportPeriod
        let winners: Int
        let seed: UInt64?

        init(_ fields: FormFields) throws {
            reward = try fields.choice("reward")
            period = try fields.choice("period")
            winners = try fields.number("winners", in: 1...100)
            let typed = fields.raw("seed")
            if typed.isEmpty {
                seed = nil
            } else {
                guard typed.count <= 20, let number = UInt64(typed) else {
                    throw WebError.badField("seed", .notRecognised(typed))
                }
                seed = number
            }
        }

        static let labels = [
            "reward": "rewards.reward", "period": "rewards.period", "winners": "rewards.winners",
            "seed": "rewards.seed",
        ]
    }

    /// Draws winners among the pupils the page lists for the reward. A reward's period is drawn once; asked again,
    /// the page shows the draw already made.
    @Sendable static func draw(_ request: Request) async throws -> Response {
        guard case .school(let laestab) = request.target else { throw Abort(.notFound) }
        let form = try request.form(DrawForm.self)
        guard let found = try await found(request, laestab, period: form.period) else {
            throw WebError.badField("period", .missingOrInvalid, label: DrawForm.labels["period"])
        }
        let entrants = found.entrants(form.reward)
        guard !entrants.isEmpty else { throw WebError.badField("reward", .missingOrInvalid, label: "rewards.reward") }
        var random = SystemRandomNumberGenerator()
        let (_, made) = try await request.context.store.rewards.draw(
            laestab, reward: form.reward, span: form.period.span, period: found.period, entrants: entrants,
            wanted: form.winners,
            seed: form.seed ?? random.next(), by: request.actor)
        return Page.redirect(
            SiteURL.school(
                .rewards, laestab, query: ["period": form.period.rawValue, "drawn": made ? "1" : "again"]))
    }

    /// The certificates form: the reward and period, and whose: everyone listed, or a draw's winners.
    struct CertificatesForm: Form {
        let reward: RewardKind
        let period: ReportPeriod
        let winnersOnly: Bool

        init(_ fields: FormFields) throws {
            reward = try fields.choice("reward")
            period = try fields.choice("period")
            winnersOnly = fields.raw("whom") == "winners"
        }
    }

    /// Certificates for the pupils the page lists for a reward (or the period's draw winners), as a batch made as
    /// a job: each pupil is checked again as the certificate is made.
    @Sendable static func certificates(_ request: Request) async throws -> Response {
        guard case .school(let laestab) = request.target else { throw Abort(.notFound) }
        let form = try request.form(CertificatesForm.self)
        let context = request.context
        guard let found = try await found(request, laestab, period: form.period) else {
            throw WebError.badField("period", .missingOrInvalid)
        }
        var pupils = found.entrants(form.reward)
        if form.winnersOnly {
            pupils =
                try await context.store.rewards.draw(
                    laestab, reward: form.reward, span: form.period.span, from: found.period.start)?.winners ?? []
        }
        guard !pupils.isEmpty else { throw WebError.badField("reward", .missingOrInvalid) }
        var details = ["reward_from": found.period.start.iso, "reward_to": found.period.end.iso]
        let kind: LetterKind = form.reward == .fullAttendance ? .certificate : .improvementCertificate
        if kind == .improvementCertificate, let earlier = found.earlier {
            details["earlier_from"] = earlier.start.iso
            details["earlier_to"] = earlier.end.iso
        }
        let id = try await context.store.jobs.startJob(JobPage.certificates, school: laestab, by: request.actor)
        let actor = request.actor
        let signatory = try request.signedIn.user.displayName
        let logger = request.logger
        let chosen = pupils
        let given = details
        let (reward, span, from) = (form.reward, form.period.span, found.period.start)
        context.jobs.start(id, logger: logger) { progress in
            // Each pupil's certificate once: a pupil already given it (two clicks, or an earlier batch) is left out.
            let rewards = context.store.rewards
            let claimed = try await rewards.claimCertificates(
                laestab, reward: reward, span: span, from: from, pupils: chosen, by: actor)
            do {
                let made = try await context.letters.produceCertificates(
                    kind, for: claimed, school: laestab, details: given, today: context.today, by: actor,
                    signatory: signatory, progress: progress)
                try await rewards.releaseCertificates(
                    laestab, reward: reward, span: span, from: from,
                    pupils: claimed.filter { !made.written.contains($0) })
                sendInBackground(context.letters, logger: logger)
                return JobPage.result(made.batch)
            } catch {
                try? await rewards.releaseCertificates(
                    laestab, reward: reward, span: span, from: from, pupils: claimed)
                throw error
            }
        }
        return Page.redirect(SiteURL.school(.letterJob, laestab, id: id))
    }
}

import AttendanceCore
import AttendanceStore
import Foundation

/// A penalty notice case as the pages show it: the pupil, the term, the criteria with their counts, where it
/// stands, every step with who, when and why, and its notices with what is due; and the forms the reader may use.
struct PenaltyCaseView: Sendable {
    struct Notice: Sendable {
        let id: Int
        let line: String
        /// Forms for the education lead, by the notice's standing.
        let payAction: String?
        let referAction: String?
        let withdrawAction: String?
        let dueNow: String
    }

    let id: PenaltyCaseID
    let heading: String
    let pupilHref: String
    let criteria: String
    let status: String
    let steps: [String]
    let facts: [PenaltyPacket.Fact]
    /// The kept evidence pack: the document, its PDF where one was made, its data.
    let packLinks: [PageFrame.Link]
    let notices: [Notice]
    /// The head's forms: the request only once the policy allows it; until then, when and why not.
    let requestAction: String?
    let requestNotYet: String?
    let withdrawAction: String?
    /// The education lead's forms.
    let decideAction: String?
    let issueAction: String?
    let today: String

    static func make(
        _ found: PenaltyCase, pupil: Pupil?, facts: [PenaltyPacket.Fact], forHead: Bool, forLead: Bool,
        today: LocalDate, policy: Policy, requestCheck: PenaltyRepository.PenaltyRequestCheck? = nil,
        language: Language = .en, names: [String: String],
        text: @escaping PupilPage.Text
    ) -> PenaltyCaseView {
        let plain = { (key: String) in text(key, [:]) }
        let open: Set<PenaltyStatus> = [.eligible, .warned, .requested, .approved]
        let mayRequest = forHead && found.status == .warned && requestCheck?.standing.isReady == true
        return PenaltyCaseView(
            id: found.id,
            heading: text(
                "penalty.heading",
                [
                    "name": pupil?.displayName ?? found.upn.value, "group": pupil?.registrationGroup ?? "",
                    "term": FamilyWords.dates(found.term, text: text),
                ]), pupilHref: SiteURL.pupil(found.upn),
            criteria: found.criteria.map { criterion in
                let count = found.counts[criterion.rawValue].map { " (\($0))" } ?? ""
                return plain("criterion.\(criterion.rawValue)") + count
            }.joined(separator: "; "), status: plain("penalty.status.\(found.status.rawValue)"),
            steps: found.events.map { PenaltyWords.step($0, notices: found.notices, names: names, text: text) },
            facts: facts,
            packLinks: packLinks(found, text: text),
            notices: found.notices.map { notice in
                let terms = policy.penaltyNotice.terms(receivedOn: notice.receivedOn)
                let due = terms.amountDue(on: today)
                let id = ["id": String(notice.id)]
                return Notice(
                    id: notice.id, line: PenaltyWords.notice(notice, terms: terms, today: today, text: text),
                    payAction: forLead && notice.status == .issued ? SiteURL.payPenalty.path(id) : nil,
                    referAction: forLead && notice.status == .unpaid ? SiteURL.referPenalty.path(id) : nil,
                    withdrawAction: forLead && [.issued, .unpaid].contains(notice.status)
                        ? SiteURL.withdrawNotice.path(id) : nil,
                    dueNow: due.map { PenaltyWords.pounds($0, sign: false) } ?? "")
            },
            requestAction: mayRequest ? SiteURL.school(.requestPenalty, found.school, id: found.id) : nil,
            requestNotYet: forHead && found.status == .warned && !mayRequest
                ? requestCheck.map { PenaltyWords.notYet($0, language: language, text: text) } : nil,
            withdrawAction: forHead && open.contains(found.status)
                ? SiteURL.school(.withdrawPenalty, found.school, id: found.id) : nil,
            decideAction: forLead && found.status == .requested
                ? SiteURL.decidePenalty.path(["id": String(found.id)]) : nil,
            issueAction: forLead && found.status == .approved
                ? SiteURL.issuePenalty.path(["id": String(found.id)]) : nil,
            today: today.iso)
    }
}

extension PenaltyCaseView {
    static func packLinks(_ found: PenaltyCase, text: PupilPage.Text) -> [PageFrame.Link] {
        guard found.pack != .none else { return [] }
        let id = found.id
        return [
            PageFrame.Link(href: SiteURL.school(.penaltyPack, found.school, id: id), label: text("pack.link", [:])),
            found.pack == .documentAndPDF
                ? PageFrame.Link(
                    href: SiteURL.school(.penaltyPackPDF, found.school, id: id), label: text("pack.pdf", [:])) : nil,
            PageFrame.Link(
                href: SiteURL.school(.penaltyPackData, found.school, id: id), label: text("pack.data", [:])),
        ].compactMap { $0 }
    }
}

/// What the Education Lead weighs beside a request (the policy: the level of absence, engagement, equality,
/// history, special educational needs), gathered from the record.
enum PenaltyPacket {
    struct Fact: Sendable {
        let label: String
        let value: String
    }
}

/// A case's steps and notices in words.
enum PenaltyWords {
    /// An amount as a person writes it: "£60", "£60.50"; without the sign for a form's field.
    static func pounds(_ pence: Int, sign: Bool = true) -> String {
        (sign ? "£" : "") + "\(pence / 100)" + (pence % 100 == 0 ? "" : String(format: ".%02d", pence % 100))
    }

    static func step(
        _ event: PenaltyEvent, notices: [PenaltyNoticeRecord], names: [String: String], text: PupilPage.Text
    ) -> String {
        let when = DateText.moment(stored: event.at, text)
        var line =
            "\(when): " + (Catalogue.known("penalty.step.\(event.step)", text) ?? event.step) + ", "
            + RecordWords.actor(event.by, names: names, text: text)
        if let notice = event.noticeID.flatMap({ id in notices.first { $0.id == id } }) {
            line += " (" + text("penalty.noticeTo", ["number": notice.number, "parent": notice.parent]) + ")"
        }
        if let reason = event.reason, !reason.isEmpty { line += ": " + reason }
        return line
    }

    /// Why the head cannot request yet, and from when: "You may send the request from 9 December if …".
    static func notYet(_ check: PenaltyRepository.PenaltyRequestCheck, language: Language, text: PupilPage.Text)
        -> String
    {
        if let from = check.readyFrom {
            return text(
                check.standing.needsFurtherAbsence ? "penalty.notYet.waitAndAbsence" : "penalty.notYet.wait",
                ["date": from.letterText(language), "days": String(check.standing.schoolDaysLeft)])
        }
        return text("penalty.notYet.absence", [:])
    }

    static func notice(_ notice: PenaltyNoticeRecord, terms: NoticeTerms, today: LocalDate, text: PupilPage.Text)
        -> String
    {
        var values = [
            "number": notice.number, "parent": notice.parent, "issued": DateText.day(notice.issuedOn, text),
            "received": DateText.day(notice.receivedOn, text),
            "status": text("penalty.notice.\(notice.status.rawValue)", [:]),
            "method": text("penalty.method.\(notice.method.rawValue)", [:]),
        ]
        var key = "penalty.noticeLine"
        if notice.status == .issued, let due = terms.amountDue(on: today), let by = terms.dueDate(on: today) {
            values["due"] = pounds(due)
            values["by"] = DateText.day(by, text)
            key = "penalty.noticeLineDue"
        } else if let paid = notice.paidPence, let on = notice.paidOn {
            values["paid"] = pounds(paid)
            values["on"] = DateText.day(on, text)
            key = "penalty.noticeLinePaid"
        }
        return text(key, values)
    }
}

/// A school's penalty notice cases: counts by standing for everyone who may see them (governors see only
/// these), and each case for staff, with the head's forms.
struct SchoolPenaltiesPage: PageModel {
    static let template = "penalties"

    struct Count: Sendable {
        let label: String
        let count: Int
    }

    let title: String
    let intro: String
    let notice: String?
    let error: String?
    let countsTitle: String
    let counts: [Count]
    let cases: [PenaltyCaseView]?
    let noCases: String
    let words: PenaltyFormWords
    let report: PenaltyReportTable

    static func make(
        school: School, cases: [PenaltyCase], pupils: [UPN: Pupil], countsOnly: Bool, forHead: Bool,
        today: LocalDate, policy: Policy, checks: [PenaltyCaseID: PenaltyRepository.PenaltyRequestCheck] = [:],
        language: Language = .en, names: [String: String], notice: String?, error: String?,
        text: @escaping PupilPage.Text
    ) -> SchoolPenaltiesPage {
        let plain = { (key: String) in text(key, [:]) }
        return SchoolPenaltiesPage(
            title: text("penalty.schoolTitle", ["school": school.name]), intro: plain("penalty.schoolIntro"),
            notice: notice, error: error, countsTitle: plain("penalty.counts"),
            counts: PenaltyStatus.allCases.map { status in
                Count(
                    label: plain("penalty.status.\(status.rawValue)"), count: cases.filter { $0.status == status }.count
                )
            },
            cases: countsOnly
                ? nil
                : cases.map {
                    PenaltyCaseView.make(
                        $0, pupil: pupils[$0.upn], facts: [], forHead: forHead, forLead: false, today: today,
                        policy: policy, requestCheck: checks[$0.id], language: language, names: names, text: text)
                }, noCases: plain("penalty.noCases"), words: PenaltyFormWords(text: text),
            report: .make(cases, policy: policy, text: text))
    }
}

/// The education lead's queue across the authority: requests to decide with what to weigh, approved cases to
/// issue, issued notices to record payments on, unpaid ones to refer for prosecution.
struct PenaltyQueuePage: PageModel {
    static let template = "penalty-queue"

    struct Section: Sendable {
        let title: String
        let empty: String
        let cases: [PenaltyCaseView]
    }

    let title: String
    let intro: String
    let notice: String?
    let error: String?
    let sections: [Section]
    let words: PenaltyFormWords
    let report: PenaltyReportTable

    static func make(
        cases: [PenaltyCase], pupils: [UPN: Pupil], facts: [PenaltyCaseID: [PenaltyPacket.Fact]], today: LocalDate,
        policy: Policy, names: [String: String], notice: String?, error: String?, text: @escaping PupilPage.Text
    ) -> PenaltyQueuePage {
        let plain = { (key: String) in text(key, [:]) }
        func view(_ found: PenaltyCase) -> PenaltyCaseView {
            .make(
                found, pupil: pupils[found.upn], facts: facts[found.id] ?? [], forHead: false, forLead: true,
                today: today, policy: policy, names: names, text: text)
        }
        let issued = cases.filter { $0.status == .issued }
        return PenaltyQueuePage(
            title: plain("penalty.queueTitle"),
            intro: text(
                "penalty.queueIntro",
                [
                    "limit": String(policy.penaltyNotice.noticesPerParentPer12Months),
                    "early": PenaltyWords.pounds(policy.penaltyNotice.earlyPence),
                    "late": PenaltyWords.pounds(policy.penaltyNotice.latePence),
                ]), notice: notice, error: error,
            sections: [
                Section(
                    title: plain("penalty.section.requested"), empty: plain("penalty.none"),
                    cases: cases.filter { $0.status == .requested }.map(view)),
                Section(
                    title: plain("penalty.section.approved"), empty: plain("penalty.none"),
                    cases: cases.filter { $0.status == .approved }.map(view)),
                Section(
                    title: plain("penalty.section.unpaid"), empty: plain("penalty.none"),
                    cases: issued.filter { $0.notices.contains { $0.status == .unpaid } }.map(view)),
                Section(
                    title: plain("penalty.section.issued"), empty: plain("penalty.none"),
                    cases: issued.filter { !$0.notices.contains { $0.status == .unpaid } }.map(view)),
            ], words: PenaltyFormWords(text: text), report: .make(cases, policy: policy, text: text))
    }
}

/// The per-term report as a table: requested, approved, declined, issued, paid at each amount, unpaid, referred,
/// for every case and then each criterion.
struct PenaltyReportTable: Sendable {
    struct Row: Sendable {
        let term: String
        let criterion: String
        let numbers: [Int]
    }

    let title: String
    let termLabel: String
    let criterionLabel: String
    let columns: [String]
    let rows: [Row]
    let hasRows: Bool

    static func make(_ cases: [PenaltyCase], policy: Policy, text: @escaping PupilPage.Text) -> PenaltyReportTable {
        let plain = { (key: String) in text(key, [:]) }
        let rows = PenaltyReport.lines(cases, notice: policy.penaltyNotice).map { line in
            let t = line.tally
            return Row(
                term: FamilyWords.dates(line.term, text: text),
                criterion: line.criterion.map { plain("criterion.\($0.rawValue)") } ?? plain("penalty.report.all"),
                numbers: [t.requested, t.approved, t.declined, t.issued, t.paidEarly, t.paidLate, t.unpaid, t.referred])
        }
        return PenaltyReportTable(
            title: plain("penalty.report.title"), termLabel: plain("penalty.report.term"),
            criterionLabel: plain("penalty.report.criterion"),
            columns: [
                "requested", "approved", "declined", "issued", "paidEarly", "paidLate", "unpaid", "referred",
            ].map {
                text(
                    "penalty.report.\($0)",
                    [
                        "early": PenaltyWords.pounds(policy.penaltyNotice.earlyPence),
                        "late": PenaltyWords.pounds(policy.penaltyNotice.latePence),
                    ])
            }, rows: rows, hasRows: !rows.isEmpty)
    }
}

/// The forms' labels, said once for both pages.
struct PenaltyFormWords: Sendable {
    let engagement: String
    let equality: String
    let request: String
    let withdrawReason: String
    let withdraw: String
    let decision: String
    let approve: String
    let decline: String
    let reason: String
    let decide: String
    let method: String
    let methods: [Option]
    let issuedOn: String
    let issue: String
    let amount: String
    let paidOn: String
    let reference: String
    let pay: String
    let refer: String
    let stepsTitle: String
    let noticesTitle: String

    init(text: @escaping PupilPage.Text) {
        let plain = { (key: String) in text(key, [:]) }
        engagement = plain("penalty.form.engagement")
        equality = plain("penalty.form.equality")
        request = plain("penalty.form.request")
        withdrawReason = plain("penalty.form.withdrawReason")
        withdraw = plain("penalty.form.withdraw")
        decision = plain("penalty.form.decision")
        approve = plain("penalty.form.approve")
        decline = plain("penalty.form.decline")
        reason = plain("penalty.form.reason")
        decide = plain("penalty.form.decide")
        method = plain("penalty.form.method")
        methods = ServiceMethod.allCases.map {
            Option(value: $0.rawValue, label: plain("penalty.method.\($0.rawValue)"))
        }
        issuedOn = plain("penalty.form.issuedOn")
        issue = plain("penalty.form.issue")
        amount = plain("penalty.form.amount")
        paidOn = plain("penalty.form.paidOn")
        reference = plain("penalty.form.reference")
        pay = plain("penalty.form.pay")
        refer = plain("penalty.form.refer")
        stepsTitle = plain("penalty.steps")
        noticesTitle = plain("penalty.notices")
    }
}

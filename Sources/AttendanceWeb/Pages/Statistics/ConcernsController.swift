import AttendanceCore
import AttendanceStore
import Vapor

/// The authority's concerns (issue 35, point 7; the policy: the Local Authority will "raise concerns with Head
/// Teachers"): the Education Lead raises one from the dashboard with the figures behind it, what is asked and by
/// when; the head answers on the school's page; the lead closes it. Both sides list them, open first, with the
/// school's figure since it was raised.
enum ConcernsController {
    /// Every concern, and the form to raise one (`school` chooses the school, from the dashboard).
    @Sendable static func list(_ request: Request) async throws -> Response {
        let store = request.context.store
        let schools = try await store.reference.schools().map(\.school).sorted { $0.name < $1.name }
        let chosen = request.query[String.self, at: "school"].flatMap(LAESTAB.init(text:))
        var notice: String?
        for key in ["raised", "closed"] where request.query[String.self, at: key] != nil {
            notice = request.text("concerns.\(key)")
        }
        let page = ConcernsPage(
            title: request.text("concerns.title"), notice: notice,
            rows: try await rows(request, try await store.concerns.concerns(), closable: true),
            schools: schools.map {
                ConcernsPage.SchoolChoice(
                    value: $0.laestab.description, label: "\($0.name) (\($0.laestab))", selected: $0.laestab == chosen)
            }, action: SiteURL.concerns.path(), dueBy: request.context.today.adding(days: 14).iso,
            noConcerns: request.text("concerns.none"))
        return try Page.render(page, request: request)
    }

    /// The raise form: the school, what is asked, by when.
    struct RaiseForm: Form {
        let school: LAESTAB
        let request: String
        let dueBy: LocalDate

        init(_ fields: FormFields) throws {
            guard let school = try fields.optionalSchool("school") else {
                throw WebError.badField("school", .missingOrInvalid)
            }
            self.school = school
            request = try fields.words("request", limit: Concern.textLimit, required: true)
            dueBy = try fields.date("due_by")
        }

        static let labels = ["school": "concerns.school", "request": "concerns.request", "due_by": "concerns.dueBy"]
    }

    @Sendable static func raise(_ request: Request) async throws -> Response {
        let form = try request.form(RaiseForm.self)
        let store = request.context.store
        let today = request.context.today
        guard form.dueBy <= today.adding(days: 366) else {
            throw WebError.badField("due_by", .longerThan(days: 366), label: RaiseForm.labels["due_by"])
        }
        // The figures behind it, as they stand: the school year to date, the target, persistent absence.
        let range = FigureViews.yearToDate(request)
        let lines = try await store.registers.schoolReport(form.school, in: range)
        let total = lines.map(\.summary).reduce(AttendanceSummary.empty(rules: store.rules), +)
        let target = try await store.targets.target(form.school, for: range.end.academicYear)
        let figures = Concern.Figures(
            attendanceTenths: total.attendanceTenths, targetTenths: target?.tenths,
            persistentTenths: Tenths.share(lines.filter(\.summary.persistentAbsence).count, of: lines.count))
        try await store.concerns.raise(
            form.school, request: form.request, dueBy: form.dueBy, figures: figures, today: today, by: request.actor)
        return Page.redirect(SiteURL.concerns.path(query: [("raised", "1")]))
    }

    @Sendable static func close(_ request: Request) async throws -> Response {
        guard let id = request.parameters.get("id", as: Int.self) else { throw Abort(.notFound) }
        try await request.context.store.concerns.take(.close, concern: id, by: request.actor)
        return Page.redirect(SiteURL.concerns.path(query: [("closed", "1")]))
    }

    /// The school's concerns, with the answer form for its head.
    @Sendable static func school(_ request: Request) async throws -> Response {
        guard case .school(let laestab) = request.target else { throw Abort(.notFound) }
        let store = request.context.store
        let answers = try request.signedIn.allows(.answerConcern, .school(laestab))
        let page = SchoolConcernsPage(
            title: request.text(
                "concerns.schoolTitle", ["school": try await store.reference.requireSchool(laestab).school.name]),
            notice: request.query[String.self, at: "answered"] != nil ? request.text("concerns.answered") : nil,
            rows: try await rows(
                request, try await store.concerns.concerns(laestab), closable: false,
                answerHref: answers ? { SiteURL.school(.answerConcern, laestab, id: $0) } : nil),
            noConcerns: request.text("concerns.noneHere"))
        return try Page.render(page, request: request)
    }

    struct AnswerForm: Form {
        let answer: String

        init(_ fields: FormFields) throws {
            answer = try fields.words("answer", limit: Concern.textLimit, required: true)
        }

        static let labels = ["answer": "concerns.answer"]
    }

    @Sendable static func answer(_ request: Request) async throws -> Response {
        guard case .school(let laestab) = request.target, let id = request.parameters.get("id", as: Int.self) else {
            throw Abort(.notFound)
        }
        let form = try request.form(AnswerForm.self)
        try await request.context.store.concerns.take(
            .answer, concern: id, school: laestab, answer: form.answer, by: request.actor)
        return Page.redirect(SiteURL.school(.schoolConcerns, laestab, query: ["answered": "1"]))
    }

    /// Each concern as a row: the figures then and the school's figure since, who did what and when.
    static func rows(
        _ request: Request, _ concerns: [Concern], closable: Bool, answerHref: ((Int) -> String)? = nil
    ) async throws -> [ConcernRow] {
        let store = request.context.store
        let today = request.context.today
        let names = try await request.names()
        let text = { (key: String, values: [String: String]) in request.text(key, values) }
        let schools = try await request.schoolNames()
        var rows: [ConcernRow] = []
        for concern in concerns {
            let since = try await store.registers.schoolReport(
                concern.school, in: DateRange(start: concern.raisedOn, notBefore: today)
            ).map(\.summary).reduce(AttendanceSummary.empty(rules: store.rules), +)
            func who(_ by: String?, _ at: String?) -> String? {
                guard let by, let at else { return nil }
                return text(
                    "concerns.byWhen",
                    ["by": RecordWords.actor(by, names: names, text: text), "when": DateText.moment(stored: at, text)])
            }
            let figures = concern.figures
            rows.append(
                ConcernRow(
                    id: concern.id, school: schools[concern.school] ?? concern.school.description,
                    schoolHref: SiteURL.school(concern.school), request: concern.request,
                    status: text("concerns.status.\(concern.status.rawValue)", [:]),
                    overdue: concern.isOverdue(on: today),
                    dueBy: DateText.day(concern.dueBy, text),
                    figuresThen: text(
                        "concerns.figuresThen",
                        [
                            "attendance": Tenths.percentText(figures.attendanceTenths),
                            "target": figures.targetTenths.map { Tenths.percentText($0) }
                                ?? text("concerns.noTarget", [:]),
                            "persistent": Tenths.percentText(figures.persistentTenths),
                        ]),
                    figuresSince: text(
                        "concerns.figuresSince",
                        [
                            "from": DateText.day(concern.raisedOn, text), "attendance": since.attendancePercentText,
                        ]),
                    raised: who(concern.raisedBy, concern.raisedAt) ?? "", answer: concern.answer,
                    answered: who(concern.answeredBy, concern.answeredAt),
                    closed: who(concern.closedBy, concern.closedAt),
                    closeAction: closable && concern.status == .answered
                        ? SiteURL.user(.closeConcern, concern.id) : nil,
                    answerAction: concern.status == .raised ? answerHref?(concern.id) : nil))
        }
        return rows
    }
}

/// A concern as both pages show it.
struct ConcernRow: Sendable {
    let id: Int
    let school: String
    let schoolHref: String
    let request: String
    let status: String
    let overdue: Bool
    let dueBy: String
    let figuresThen: String
    let figuresSince: String
    let raised: String
    let answer: String?
    let answered: String?
    let closed: String?
    let closeAction: String?
    let answerAction: String?
}

/// The Education Lead's concerns page.
struct ConcernsPage: PageModel {
    static let template = "concerns"

    struct SchoolChoice: Sendable {
        let value: String
        let label: String
        let selected: Bool
    }

    let title: String
    let notice: String?
    let rows: [ConcernRow]
    let schools: [SchoolChoice]
    let action: String
    let dueBy: String
    let noConcerns: String
}

/// A school's concerns, answered by its head.
struct SchoolConcernsPage: PageModel {
    static let template = "school-concerns"
    let title: String
    let notice: String?
    let rows: [ConcernRow]
    let noConcerns: String
}

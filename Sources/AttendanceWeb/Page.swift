import AttendanceCore
import AttendanceStore
import Mustache
import Vapor

/// What every page's template needs besides its own content: language, navigation, banner, CSRF token.
struct PageFrame {
    /// The signed-in user's menu: only the pages their roles use.
    struct Nav {
        let home: String
        let homeHref: String
        let account: String
        let accountHref: String
        let signOut: String
        let signOutAction: String
        let csrf: String
        var registers: String? = nil
        let registersHref: String
        var audit: String? = nil
        let auditHref: String
        var users: String? = nil
        let usersHref: String
        var navLetters: String? = nil
        let templatesHref: String
        /// The school's daily pages (the office, the late book, the procedure queue) for someone who works at
        /// one school; someone across several reaches them from the home page.
        var daily: [Link] = []
    }

    struct Link: Sendable {
        let href: String
        let label: String
    }

    let lang: String
    let otherLang: String
    let appName: String
    let skip: String
    let switchLanguage: String
    let switchLanguageHref: String
    let homeHref: String
    var demoBanner: String? = nil
    var nav: Nav? = nil
    var signedInAs: String? = nil
    /// The session's CSRF token, for every form on the page.
    var csrf: String? = nil
    /// The catalogue in the reader's language, for the template's own labels (`{{catalogue.account.title}}`).
    let catalogue: TemplateCatalogue
}

extension PageFrame {
    init(request: Request) {
        let language = request.language
        let strings = request.context.strings
        let other: Language = language == .cy ? .en : .cy
        lang = language.rawValue
        otherLang = other.rawValue
        appName = strings("app.name", language)
        skip = strings("app.skip", language)
        switchLanguage = strings("app.language.switch", language)
        switchLanguageHref = request.url.path + "?lang=" + other.rawValue
        homeHref = SiteURL.home.path()
        catalogue = TemplateCatalogue(strings: strings, language: language)
        if request.context.configuration.demoMode { demoBanner = strings("app.demo.banner", language) }
        if request.hasSession || request.principal != nil { csrf = request.csrfToken }
        if let principal = request.principal, !principal.viaToken {
            var nav = Nav(
                home: strings("nav.home", language), homeHref: SiteURL.home.path(),
                account: strings("nav.account", language), accountHref: SiteURL.account.path(),
                signOut: strings("nav.signOut", language), signOutAction: SiteURL.signOut.path(),
                csrf: request.csrfToken, registersHref: SiteURL.registers.path(), auditHref: SiteURL.audit.path(),
                usersHref: SiteURL.users.path(), templatesHref: SiteURL.templates.path())
            if principal.allows(.viewAudit, .none) { nav.audit = strings("nav.audit", language) }
            if principal.allows(.takeRegister, .none) { nav.registers = strings("nav.registers", language) }
            if principal.allows(.takeLesson, .none) {
                nav.daily.append(Link(href: SiteURL.lessons.path(), label: strings("nav.lessons", language)))
            }
            if principal.allows(.manageUsers, .none) { nav.users = strings("nav.users", language) }
            if principal.allows(.manageLetters, .none) { nav.navLetters = strings("nav.letters", language) }
            if principal.allows(.issuePenalty, .none) {
                nav.daily.append(Link(href: SiteURL.penaltyQueue.path(), label: strings("nav.penalties", language)))
                nav.daily.append(Link(href: SiteURL.legal.path(), label: strings("nav.legal", language)))
            }
            if principal.allows(.allocateReferrals, .none) {
                nav.daily.append(Link(href: SiteURL.eswInbox.path(), label: strings("nav.eswInbox", language)))
            }
            if principal.allows(.viewAuthority, .none) {
                nav.daily.append(Link(href: SiteURL.dashboard.path(), label: strings("nav.dashboard", language)))
                nav.daily.append(Link(href: SiteURL.returns.path(), label: strings("nav.returns", language)))
            }
            if principal.allows(.manageMissingEducation, .none) {
                nav.daily.append(
                    Link(href: SiteURL.missingEducation.path(), label: strings("nav.missingEducation", language)))
            }
            if principal.allows(.logPatrol, .none) {
                nav.daily.append(Link(href: SiteURL.patrols.path(), label: strings("nav.patrols", language)))
            }
            if principal.allows(.workEswCases, .none) {
                nav.daily.append(Link(href: SiteURL.eswCaseload.path(), label: strings("nav.eswCases", language)))
            }
            let schools = Set(principal.grants.compactMap(\.school))
            if schools.count == 1, let school = schools.first {
                if principal.allows(.manageAttendance, .school(school)) {
                    nav.daily.append(
                        Link(href: SiteURL.school(.office, school), label: strings("nav.office", language)))
                    nav.daily.append(
                        Link(href: SiteURL.school(.lateBook, school), label: strings("nav.lateBook", language)))
                }
                if principal.allows(.workActions, .school(school)) {
                    nav.daily.append(
                        Link(href: SiteURL.school(.actions, school), label: strings("nav.actions", language)))
                }
                if principal.allows(.checkLessons, .school(school)) {
                    nav.daily.append(
                        Link(href: SiteURL.school(.sameDayCheck, school), label: strings("nav.sameDay", language)))
                }
                if principal.allows(.viewPenalties, .school(school)) {
                    nav.daily.append(
                        Link(
                            href: SiteURL.school(.schoolPenalties, school), label: strings("nav.penalties", language)))
                }
                if principal.allows(.manageAttendance, .school(school)) {
                    nav.daily.append(
                        Link(href: SiteURL.school(.leaveQueue, school), label: strings("nav.leave", language)))
                }
            }
            self.nav = nav
            signedInAs = strings("nav.signedInAs", language, ["name": principal.user.displayName])
        }
    }
}

/// A page's own content as a typed value, rendered by its template: what the template may show is exactly what
/// the model holds. (SwiftPackageIndex-Server's `*+Model` is the pattern.)
protocol PageModel: Sendable {
    /// The template that renders this model.
    static var template: String { get }
}

/// What a template sees: the page's own values first, then the frame's. A name the page does not have (the
/// CSRF token inside a table's rows, say) is looked up in the frame. Both are read once, as `TemplateValue`s.
struct PageContext: MustacheParent {
    private let page: Any?
    private let frame: Any?

    init(page: some PageModel, frame: PageFrame) {
        self.page = TemplateValue.reading(page)
        self.frame = TemplateValue.reading(frame)
    }

    func child(named name: String) -> Any? {
        (page as? any MustacheParent)?.child(named: name) ?? (frame as? any MustacheParent)?.child(named: name)
    }
}

enum Page {
    /// Renders a page's typed model with its template, as an HTML response.
    static func render(_ model: some PageModel, request: Request, status: HTTPStatus = .ok) throws -> Response {
        try respond(
            type(of: model).template, PageContext(page: model, frame: PageFrame(request: request)), request, status)
    }

    /// A model's template as HTML text: for a document kept as evidence (its template is a whole document).
    static func document(_ model: some PageModel, request: Request) throws -> String {
        let template = type(of: model).template
        guard
            let html = request.context.templates.render(
                PageContext(page: model, frame: PageFrame(request: request)), withTemplate: template)
        else { throw WebError.missingTemplate(template) }
        return html
    }

    private static func respond(
        _ template: String, _ context: PageContext, _ request: Request, _ status: HTTPStatus
    ) throws -> Response {
        guard let html = request.context.templates.render(context, withTemplate: template) else {
            throw WebError.missingTemplate(template)
        }
        let response = Response(status: status, body: .init(string: html))
        response.headers.contentType = .html
        // Pages show personal data: never keep them in a shared cache.
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        response.rememberLanguage(for: request)
        return response
    }

    /// Sends the browser elsewhere after a form (303 so a reload does not post again).
    static func redirect(_ path: String) -> Response {
        let response = Response(status: .seeOther)
        response.headers.replaceOrAdd(name: .location, value: path)
        return response
    }
}

extension Request {
    /// A `YYYY-MM-DD` query parameter: nil when absent or empty, a bad request naming it when not a date the
    /// record can hold (`LocalDate(entered:)`, years 1990–2100).
    func queryDate(_ name: String) throws -> LocalDate? {
        guard let text = query[String.self, at: name], !text.isEmpty else { return nil }
        guard let date = LocalDate(entered: text) else { throw InputError.badDate(field: name) }
        return date
    }

    /// Strings in the reader's language.
    func text(_ key: String, _ values: [String: String] = [:]) -> String {
        context.strings(key, language, values)
    }
}

import AttendanceCore
import AttendanceStore
import Mustache
import Vapor

/// What every page's template needs besides its own content: language, navigation, banner, CSRF token.
struct PageFrame {
    let values: [String: Any]

    init(request: Request) {
        let language = request.language
        let strings = request.context.strings
        let other: Language = language == .cy ? .en : .cy
        var values: [String: Any] = [
            "lang": language.rawValue, "otherLang": other.rawValue, "appName": strings("app.name", language),
            "skip": strings("app.skip", language), "switchLanguage": strings("app.language.switch", language),
            "switchLanguageHref": request.url.path + "?lang=" + other.rawValue,
            "homeHref": SiteURL.home.path(),
        ]
        // A nil wrapped in Any would count as present to Mustache: leave keys out instead.
        if request.context.configuration.demoMode { values["demoBanner"] = strings("app.demo.banner", language) }
        if let principal = request.principal, !principal.viaToken {
            var nav: [String: Any] = [
                "home": strings("nav.home", language), "account": strings("nav.account", language),
                "signOut": strings("nav.signOut", language), "csrf": request.csrfToken,
                "accountHref": SiteURL.account.path(), "signOutAction": SiteURL.signOut.path(),
                "registersHref": SiteURL.registers.path(), "auditHref": SiteURL.audit.path(),
                "usersHref": SiteURL.users.path(), "templatesHref": SiteURL.templates.path(),
            ]
            if principal.allows(.viewAudit, .none) { nav["audit"] = strings("nav.audit", language) }
            if principal.allows(.takeRegister, .none) { nav["registers"] = strings("nav.registers", language) }
            if principal.allows(.manageUsers, .none) { nav["users"] = strings("nav.users", language) }
            if principal.allows(.manageLetters, .none) { nav["navLetters"] = strings("nav.letters", language) }
            values["nav"] = nav
            values["signedInAs"] = strings("nav.signedInAs", language, ["name": principal.user.displayName])
        }
        self.values = values
    }
}

enum Page {
    /// Renders a template with the frame's values and the page's own, as an HTML response.
    static func render(
        _ template: String, _ values: [String: Any], request: Request, status: HTTPStatus = .ok
    ) throws -> Response {
        var context = PageFrame(request: request).values.merging(values) { _, page in page }
        if context["csrf"] == nil, request.hasSession || request.principal != nil {
            context["csrf"] = request.csrfToken
        }
        guard let html = request.context.templates.render(context, withTemplate: template) else {
            throw Abort(.internalServerError, reason: "template \(template) is missing")
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
    /// A `YYYY-MM-DD` query parameter: nil when absent or empty, a bad request naming it when not a date.
    func queryDate(_ name: String) throws -> LocalDate? {
        guard let text = query[String.self, at: name], !text.isEmpty else { return nil }
        guard let date = LocalDate(iso: text) else {
            throw Abort(.badRequest, reason: "\(name): not a date (YYYY-MM-DD)")
        }
        return date
    }

    /// Strings in the reader's language.
    func text(_ key: String, _ values: [String: String] = [:]) -> String {
        context.strings(key, language, values)
    }
}

import AttendanceCore
import Vapor

/// What every page's template needs besides its own content: language, switch link, banner.
struct PageFrame {
    let lang: String
    let otherLang: String
    let appName: String
    let skip: String
    let switchLanguage: String
    let switchLanguageHref: String
    let demoBanner: String?

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
        demoBanner = request.context.configuration.demoMode ? strings("app.demo.banner", language) : nil
    }

    var values: [String: Any] {
        var values: [String: Any] = [
            "lang": lang, "otherLang": otherLang, "appName": appName, "skip": skip, "switchLanguage": switchLanguage,
            "switchLanguageHref": switchLanguageHref,
        ]
        // A nil wrapped in Any would count as present to Mustache: leave the key out instead.
        if let demoBanner { values["demoBanner"] = demoBanner }
        return values
    }
}

enum Page {
    /// Renders a template with the frame's values and the page's own, as an HTML response.
    static func render(
        _ template: String, _ values: [String: Any], request: Request, status: HTTPStatus = .ok
    ) throws -> Response {
        let context = PageFrame(request: request).values.merging(values) { _, page in page }
        guard let html = request.context.templates.render(context, withTemplate: template) else {
            throw Abort(.internalServerError, reason: "template \(template) is missing")
        }
        let response = Response(status: status, body: .init(string: html))
        response.headers.contentType = .html
        response.rememberLanguage(for: request)
        return response
    }
}

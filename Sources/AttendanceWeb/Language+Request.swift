import AttendanceCore
import Vapor

extension Request {
    /// The reader's language: `?lang=` if given (and remembered in a cookie), else the cookie, else the
    /// browser's preference, else English. Welsh is never second-class: the switch is on every page.
    var language: Language {
        if let asked = query[String.self, at: "lang"].flatMap(Language.init(rawValue:)) { return asked }
        if let remembered = cookies["lang"].flatMap({ Language(rawValue: $0.string) }) { return remembered }
        let accept = headers.first(name: .acceptLanguage)?.lowercased() ?? ""
        return accept.hasPrefix("cy") ? .cy : .en
    }
}

extension Response {
    /// Remembers a language chosen with `?lang=`.
    func rememberLanguage(for request: Request) {
        guard let asked = request.query[String.self, at: "lang"].flatMap(Language.init(rawValue:)) else { return }
        cookies["lang"] = HTTPCookies.Value(
            string: asked.rawValue, maxAge: 365 * 24 * 3600, path: "/", isSecure: request.url.scheme == "https",
            isHTTPOnly: true, sameSite: .lax)
    }
}

import AttendanceCore
import Vapor

/// The request's language once worked out: a page asks it for every word (a list of 600 rows, thousands of
/// times), and each time meant parsing the query and the cookies again.
private struct LanguageKey: StorageKey {
    typealias Value = Language
}

extension Request {
    /// The reader's language: `?lang=` if given (and remembered in a cookie), else the cookie, else the
    /// browser's preference, else English. Welsh is never second-class: the switch is on every page.
    var language: Language {
        if let known = storage[LanguageKey.self] { return known }
        let found: Language
        if let asked = query[String.self, at: "lang"].flatMap(Language.init(rawValue:)) {
            found = asked
        } else if let remembered = cookies["lang"].flatMap({ Language(rawValue: $0.string) }) {
            found = remembered
        } else {
            found = (headers.first(name: .acceptLanguage)?.lowercased() ?? "").hasPrefix("cy") ? .cy : .en
        }
        storage[LanguageKey.self] = found
        return found
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

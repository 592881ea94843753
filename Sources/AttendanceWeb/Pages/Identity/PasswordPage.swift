/// The password page: change one's own password (at once, when the password was a temporary one).
struct PasswordPage: PageModel {
    static let template = "password"

    let title: String
    let passwordAction: String
    /// Why the page is shown before anything else: a temporary password must be changed first.
    let mustChange: String?
    let error: String?

    /// - Parameter text: the catalogue in the reader's language.
    static func make(mustChange: Bool, error: String?, text: (String) -> String) -> PasswordPage {
        PasswordPage(
            title: text("password.title"), passwordAction: SiteURL.password.path(),
            mustChange: mustChange ? text("password.mustChange") : nil,
            error: error)
    }
}

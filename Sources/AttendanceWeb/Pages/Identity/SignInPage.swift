import AttendanceCore

/// The sign-in page: email and password, where to go next, and on a demo server the demo accounts.
struct SignInPage: PageModel {
    static let template = "sign-in"

    struct DemoAccount: Sendable {
        let role: String
        let email: String
        let password: String
    }

    let title: String
    let signInAction: String
    /// Where to go once signed in (already checked to be a page of this site).
    let next: String
    /// What was typed, kept after a failed attempt.
    let email: String
    /// The sign-in form's own token (from its cookie): there is no session yet.
    let csrf: String
    let notice: String?
    let error: String?
    let hasDemoAccounts: Bool
    let demoTitle: String?
    let demoIntro: String?
    let demoRole: String?
    let demoAccounts: [DemoAccount]

    static func make(
        next: String, email: String, csrf: String, signedOut: Bool, error: String?, demo: [DemoAccounts.Account]?,
        text: (String) -> String
    ) -> SignInPage {
        SignInPage(
            title: text("signIn.title"), signInAction: SiteURL.signIn.path(), next: next, email: email, csrf: csrf,
            notice: signedOut ? text("signIn.signedOut") : nil, error: error, hasDemoAccounts: demo != nil,
            demoTitle: demo.map { _ in text("signIn.demoTitle") },
            demoIntro: demo.map { _ in text("signIn.demoIntro") },
            demoRole: demo.map { _ in text("signIn.demoRole") },
            demoAccounts: (demo ?? []).map {
                DemoAccount(role: text("role.\($0.role.rawValue)"), email: $0.email, password: $0.password)
            })
    }
}

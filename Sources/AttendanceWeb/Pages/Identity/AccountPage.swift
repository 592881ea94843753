import AttendanceStore
import Foundation

/// The account page: one's roles, and API tokens (created, listed, revoked). Its labels are the template's own
/// (`{{catalogue.account.…}}`).
struct AccountPage: PageModel {
    static let template = "account"

    struct Token: Sendable {
        let name: String
        let created: String
        let lastUsed: String
        let revoked: Bool
        let revokeAction: String
    }

    /// The page's title, for the heading and the browser's tab (the frame's `head` reads it).
    let title: String
    let roles: [String]
    let passwordHref: String
    let createTokenAction: String
    let tokens: [Token]
    let hasTokens: Bool
    /// Staff only: a parent's account has no API tokens.
    let showTokens: Bool
    /// After the password was changed.
    let notice: String?
    /// A token just created: shown once, never again.
    let newToken: String?
    let error: String?

    /// - Parameters:
    ///   - roles: the user's roles, described.
    ///   - tokens: the user's API tokens, as stored.
    ///   - text: the catalogue in the reader's language.
    static func make(
        roles: [String], tokens: [APIToken], passwordChanged: Bool, newToken: String?, error: String?,
        showTokens: Bool = true, text: @escaping (String) -> String
    ) -> AccountPage {
        func minute(_ date: Date) -> String { DateText.moment(date, { key, _ in text(key) }) }
        return AccountPage(
            title: text("account.title"), roles: roles, passwordHref: SiteURL.password.path(),
            createTokenAction: SiteURL.createToken.path(),
            tokens: tokens.map { token in
                Token(
                    name: token.name, created: minute(token.createdAt),
                    lastUsed: token.lastUsedAt.map { minute($0) } ?? text("account.never"),
                    revoked: token.revokedAt != nil,
                    revokeAction: SiteURL.revokeToken(token.id))
            }, hasTokens: !tokens.isEmpty, showTokens: showTokens,
            notice: passwordChanged ? text("password.changed") : nil,
            newToken: newToken, error: error)
    }
}

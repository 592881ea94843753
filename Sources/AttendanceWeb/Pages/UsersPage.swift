import AttendanceStore
import Foundation

/// The users page: the accounts an administrator may manage, each with its roles, its state and what may be done.
struct UsersPage: PageModel {
    static let template = "users"

    /// What the page needs to know of one account besides the account itself.
    struct Account {
        let user: UserAccount
        /// The account's roles, described in the reader's language.
        let roles: [String]
        let liveTokens: Int
        /// Whether the reader (a head teacher) may name this user to decide authorised absence, and whether they
        /// are named now; nil when the reader may not.
        let delegated: Bool?
    }

    struct User: Sendable {
        let name: String
        let email: String
        let roles: [String]
        let state: String
        let active: Bool
        let hasTokens: Bool
        let delegable: Bool
        let delegateOn: String?
        let delegateLabel: String?
        let resetAction: String
        let revokeTokensAction: String
        let delegateAction: String
        let deactivateAction: String
    }

    let title: String
    let intro: String
    let users: [User]
    let nameLabel: String
    let rolesLabel: String
    let stateLabel: String
    let resetLabel: String
    let revokeTokensLabel: String
    let deactivateLabel: String
    let notice: String?

    static func make(
        accounts: [Account], notice: String?, now: Date, text: (String, [String: String]) -> String
    ) -> UsersPage {
        UsersPage(
            title: text("users.title", [:]), intro: text("users.intro", [:]),
            users: accounts.map { account in
                let user = account.user
                var state: [String] = []
                if !user.isActive { state.append(text("users.deactivated", [:])) }
                if user.mustChangePassword { state.append(text("users.temporary", [:])) }
                if let until = user.lockedUntil, until > now { state.append(text("users.waiting", [:])) }
                if account.liveTokens > 0 {
                    state.append(text("users.tokens", ["count": String(account.liveTokens)]))
                }
                if account.delegated == true { state.append(text("users.delegated", [:])) }
                return User(
                    name: user.displayName, email: user.email, roles: account.roles,
                    state: state.joined(separator: ", "), active: user.isActive, hasTokens: account.liveTokens > 0,
                    delegable: account.delegated != nil, delegateOn: account.delegated.map { $0 ? "0" : "1" },
                    delegateLabel: account.delegated.map { text($0 ? "users.undelegate" : "users.delegate", [:]) },
                    resetAction: SiteURL.user(.resetPassword, user.id),
                    revokeTokensAction: SiteURL.user(.revokeTokens, user.id),
                    delegateAction: SiteURL.user(.delegate, user.id),
                    deactivateAction: SiteURL.user(.deactivate, user.id))
            }, nameLabel: text("users.name", [:]), rolesLabel: text("users.roles", [:]),
            stateLabel: text("users.state", [:]), resetLabel: text("users.reset", [:]),
            revokeTokensLabel: text("users.revokeTokens", [:]), deactivateLabel: text("users.deactivate", [:]),
            notice: notice)
    }
}

import AttendanceCore
import AttendanceStore
import Foundation

/// The users page: the accounts an administrator may manage, each with its roles, its state and what may be done.
struct UsersPage: PageModel {
    static let template = "users"

    /// What the page needs to know of one account besides the account itself.
    struct Account {
        let user: UserAccount
        /// The account's roles, described in the reader's language, each with whether the reader may take it away.
        let roles: [(grant: RoleGrant, text: String, removable: Bool)]
        let liveTokens: Int
        /// Whether the reader (a head teacher) may name this user to decide authorised absence, and whether they
        /// are named now; nil when the reader may not.
        let delegated: Bool?
        /// Whether the reader (the Education Lead) may name this ESW a senior ESW, and whether they are one now;
        /// nil when the reader may not.
        var senior: Bool? = nil
    }

    /// One of a user's roles, with the form that takes it away when the reader may.
    struct RoleLine: Sendable {
        let text: String
        let removable: Bool
        let removeAction: String
        let role: String
        let school: String
        let child: String
    }

    /// The fields that give a role: which role, at which school, for which years, forms or child.
    struct GrantFields: Sendable {
        /// Unique on the page, for the fields' ids.
        let prefix: String
        let roles: [Option]
        /// A head chooses among their schools; the education lead types a LAESTAB.
        let schools: [Option]
        let typesSchool: Bool
        /// Only the education lead gives a parent's role (to a child's UPN).
        let givesParent: Bool
    }

    struct User: Sendable {
        let id: Int
        let name: String
        let email: String
        let roles: [RoleLine]
        let addRoleAction: String
        let grant: GrantFields
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
    let error: String?
    // Adding a user and giving roles.
    let addUserTitle: String
    let addUserAction: String
    let emailLabel: String
    let displayNameLabel: String
    let roleLabel: String
    let schoolLabel: String
    let yearsLabel: String
    let groupsLabel: String
    let childLabel: String
    let listHint: String
    let addUserLabel: String
    let addRoleLabel: String
    let removeRoleLabel: String
    let newUser: GrantFields
    /// What was typed into the add-user form, kept after a refusal.
    let typedEmail: String
    let typedName: String

    /// - Parameters:
    ///   - grantable: the roles the reader may give; `schools` the schools they give them at (nil: any, typed).
    static func make(
        accounts: [Account], grantable: [Role], schools: [(LAESTAB, String)]?, notice: String?, error: String? = nil,
        typed: (email: String, name: String) = ("", ""), now: Date, text: (String, [String: String]) -> String
    ) -> UsersPage {
        func fields(_ prefix: String) -> GrantFields {
            GrantFields(
                prefix: prefix,
                roles: grantable.map { Option(value: $0.rawValue, label: text("role.\($0.rawValue)", [:])) },
                schools: (schools ?? []).map { Option(value: $0.0.description, label: "\($0.1) (\($0.0))") },
                typesSchool: schools == nil, givesParent: grantable.contains(.parent))
        }
        return UsersPage(
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
                if account.senior == true { state.append(text("users.senior", [:])) }
                // One toggle: the head's absence delegate, or the lead's senior ESW.
                let toggle = account.senior ?? account.delegated
                let toggleLabel: String? = toggle.map { on in
                    let keys =
                        account.senior != nil
                        ? ("users.unsenior", "users.makeSenior") : ("users.undelegate", "users.delegate")
                    return text(on ? keys.0 : keys.1, [:])
                }
                return User(
                    id: user.id, name: user.displayName, email: user.email,
                    roles: account.roles.map { role in
                        RoleLine(
                            text: role.text, removable: role.removable && account.roles.count > 1,
                            removeAction: SiteURL.user(.removeRole, user.id), role: role.grant.role.rawValue,
                            school: role.grant.school?.description ?? "", child: role.grant.child?.value ?? "")
                    }, addRoleAction: SiteURL.user(.addRole, user.id), grant: fields("user-\(user.id)"),
                    state: state.joined(separator: ", "), active: user.isActive, hasTokens: account.liveTokens > 0,
                    delegable: toggle != nil, delegateOn: toggle.map { $0 ? "0" : "1" }, delegateLabel: toggleLabel,
                    resetAction: SiteURL.user(.resetPassword, user.id),
                    revokeTokensAction: SiteURL.user(.revokeTokens, user.id),
                    delegateAction: SiteURL.user(.delegate, user.id),
                    deactivateAction: SiteURL.user(.deactivate, user.id))
            }, nameLabel: text("users.name", [:]), rolesLabel: text("users.roles", [:]),
            stateLabel: text("users.state", [:]), resetLabel: text("users.reset", [:]),
            revokeTokensLabel: text("users.revokeTokens", [:]), deactivateLabel: text("users.deactivate", [:]),
            notice: notice, error: error, addUserTitle: text("users.addUser", [:]), addUserAction: SiteURL.users.path(),
            emailLabel: text("users.email", [:]), displayNameLabel: text("users.displayName", [:]),
            roleLabel: text("users.role", [:]), schoolLabel: text("users.school", [:]),
            yearsLabel: text("users.years", [:]), groupsLabel: text("users.groups", [:]),
            childLabel: text("users.child", [:]), listHint: text("users.listHint", [:]),
            addUserLabel: text("users.addUserButton", [:]), addRoleLabel: text("users.addRole", [:]),
            removeRoleLabel: text("users.removeRole", [:]), newUser: fields("new"), typedEmail: typed.email,
            typedName: typed.name)
    }
}

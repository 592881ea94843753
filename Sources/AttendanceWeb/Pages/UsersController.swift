import AttendanceAccounts
import AttendanceCore
import AttendanceStore
import Vapor

/// Administrators' view of users: the education lead sees everyone, a head teacher their school's staff;
/// either may give a user a new temporary password.
enum UsersController {
    @Sendable static func page(_ request: Request) async throws -> Response {
        try await render(request, notice: nil)
    }

    static func render(_ request: Request, notice: String?) async throws -> Response {
        let principal = try request.signedIn
        let users = try await request.context.store.users().filter {
            $0.id != principal.user.id && AccessPolicy.mayManage(principal.grants, user: $0.grants)
        }
        var accounts: [UsersPage.Account] = []
        for user in users {
            let liveTokens = try await request.context.store.tokens(userID: user.id).filter { $0.revokedAt == nil }
            // The head names who decides authorised absence in their stead (senior management, the office).
            let delegated = delegableSchool(principal, user).map { school in
                user.grants.contains { $0.school == school && $0.authorisesAbsence }
            }
            accounts.append(
                UsersPage.Account(
                    user: user, roles: try await RoleText.describe(user.grants, request: request),
                    liveTokens: liveTokens.count, delegated: delegated))
        }
        let page = UsersPage.make(accounts: accounts, notice: notice, now: Date(), text: { request.text($0, $1) })
        return try Page.render(page, request: request)
    }

    /// The user a form names, if the signed-in administrator may manage them (never themselves).
    static func managed(_ request: Request) async throws -> UserAccount {
        let principal = try request.signedIn
        guard let id = request.parameters.get("id", as: Int.self),
            let user = try await request.context.store.user(id: id),
            user.id != principal.user.id
        else { throw Abort(.notFound) }
        guard AccessPolicy.mayManage(principal.grants, user: user.grants) else { throw Abort(.forbidden) }
        return user
    }

    /// Ends every API token of the user at once (a lost laptop, a script that should stop).
    @Sendable static func revokeTokens(_ request: Request) async throws -> Response {
        let user = try await managed(request)
        try await request.context.store.revokeAllTokens(userID: user.id, by: request.actor)
        return try await render(request, notice: request.text("users.tokensRevoked", ["email": user.email]))
    }

    /// The school at which the signed-in head teacher may name this user to authorise absence, if any.
    static func delegableSchool(_ principal: Principal, _ user: UserAccount) -> LAESTAB? {
        let heads = Set(principal.grants.filter { $0.role == .headTeacher }.compactMap(\.school))
        return user.grants.first {
            [.seniorManagement, .attendanceAdministrator].contains($0.role) && $0.school.map(heads.contains) == true
        }?.school
    }

    /// The head names (or stops naming) a member of staff to decide whether absence is authorised.
    @Sendable static func delegate(_ request: Request) async throws -> Response {
        let user = try await managed(request)
        guard let school = delegableSchool(try request.signedIn, user) else { throw Abort(.forbidden) }
        let on = (try? request.content.get(String.self, at: "on")) == "1"
        try await request.context.store.setAbsenceDelegate(
            userID: user.id, school: school, delegate: on, by: request.actor)
        return try await render(
            request,
            notice: request.text(on ? "users.delegatedNotice" : "users.undelegatedNotice", ["email": user.email]))
    }

    /// Deactivates the user: every session and token ends now; a reset restores them later.
    @Sendable static func deactivate(_ request: Request) async throws -> Response {
        let user = try await managed(request)
        try await request.context.store.deactivateUser(userID: user.id, by: request.actor)
        return try await render(request, notice: request.text("users.deactivatedNotice", ["email": user.email]))
    }

    @Sendable static func reset(_ request: Request) async throws -> Response {
        let store = request.context.store
        let user = try await managed(request)
        let password = Secrets.temporaryPassword()
        try await store.setPassword(
            userID: user.id, passwordHash: try request.context.passwords.hash(password), mustChange: true,
            by: request.actor)
        return try await render(
            request, notice: request.text("users.newPassword", ["email": user.email, "password": password]))
    }
}

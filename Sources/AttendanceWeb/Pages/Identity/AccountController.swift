import AttendanceAccounts
import AttendanceCore
import AttendanceStore
import Vapor

/// The user's roles and their API tokens.
enum AccountController {
    struct TokenForm: Content {
        var name: String?
    }

    @Sendable static func page(_ request: Request) async throws -> Response {
        try await render(request, newToken: nil, error: nil)
    }

    static func render(_ request: Request, newToken: String?, error: String?) async throws -> Response {
        let principal = try request.signedIn
        let store = request.context.store
        let tokens = try await store.identity.tokens(userID: principal.user.id)
        let page = AccountPage.make(
            roles: try await RoleText.describe(principal.grants, request: request), tokens: tokens,
            passwordChanged: request.query[String.self, at: "changed"] != nil, newToken: newToken, error: error,
            showTokens: mayUseTokens(principal), text: { request.text($0) })
        return try Page.render(page, request: request, status: error == nil ? .ok : .unprocessableEntity)
    }

    /// Whether the account has a staff role (tokens are for staff's systems; a parent's page never offers one).
    static func mayUseTokens(_ principal: Principal) -> Bool {
        principal.grants.contains { $0.role != .parent }
    }

    @Sendable static func createToken(_ request: Request) async throws -> Response {
        let principal = try request.signedIn
        // API tokens are for school and authority systems; a parent has no use for one.
        guard mayUseTokens(principal) else { throw Abort(.forbidden) }
        let name = (try request.content.decode(TokenForm.self).name ?? "").trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= 100 else {
            return try await render(request, newToken: nil, error: request.text("account.tokenNameMissing"))
        }
        let token = "att_" + Secrets.randomToken()
        try await request.context.store.identity.createToken(
            userID: principal.user.id, name: name, tokenHash: Secrets.digest(token), by: request.actor)
        return try await render(request, newToken: token, error: nil)
    }

    @Sendable static func revokeToken(_ request: Request) async throws -> Response {
        let principal = try request.signedIn
        guard let id = request.parameters.get("id", as: Int.self) else { throw Abort(.notFound) }
        do {
            try await request.context.store.identity.revokeToken(id: id, userID: principal.user.id, by: request.actor)
        } catch StoreError.notFound {
            throw Abort(.notFound)
        }
        return Page.redirect(SiteURL.account.path())
    }
}

import AttendanceAccounts
import AttendanceCore
import AttendanceStore
import Vapor

/// The signed-in user of a request, with their roles.
struct Principal: Sendable {
    let user: UserAccount
    /// Signed in with an API token rather than a browser session (no CSRF check, no redirects).
    let viaToken: Bool

    var grants: [RoleGrant] { user.grants }

    func allows(_ permission: Permission, _ target: AccessTarget) -> Bool {
        AccessPolicy.allows(grants, permission, target, user: user.email)
    }

    var actorName: String { user.email }
}

struct PrincipalKey: StorageKey {
    typealias Value = Principal
}

extension Request {
    var principal: Principal? {
        get { storage[PrincipalKey.self] }
        set { storage[PrincipalKey.self] = newValue }
    }

    /// The principal of a route that requires sign-in (the authorisation middleware has checked).
    var signedIn: Principal {
        get throws {
            guard let principal else { throw Abort(.unauthorized) }
            return principal
        }
    }

    /// Who is acting, and from where, for the audit trail.
    var actor: AuditActor { AuditActor(principal?.actorName ?? "anonymous", ip: clientAddress) }

    /// The session's CSRF token, made on first use.
    var csrfToken: String {
        if let token = session.data["csrf"] { return token }
        let token = Secrets.randomToken(bytes: 24)
        session.data["csrf"] = token
        return token
    }
}

/// Finds who is making the request: an `Authorization: Bearer` token, or the browser session. A request
/// without a session cookie is not given one here, so anonymous requests leave nothing in the database.
struct AuthenticationMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let store = request.context.store
        if let bearer = request.headers.bearerAuthorization {
            guard let user = try await store.identity.user(tokenHash: Secrets.digest(bearer.token)), user.isActive
            else {
                throw WebError.refused(.badToken)
            }
            request.principal = Principal(user: user, viaToken: true)
        } else if request.hasSession, let id = request.session.data["user_id"].flatMap(Int.init),
            let user = try await store.identity.user(id: id), user.isActive
        {
            request.principal = Principal(user: user, viaToken: false)
        }
        return try await next.respond(to: request)
    }
}

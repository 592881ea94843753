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
        var rows: [[String: Any]] = []
        for user in users {
            var state: [String] = []
            if user.mustChangePassword { state.append(request.text("users.temporary")) }
            if let until = user.lockedUntil, until > Date() { state.append(request.text("users.waiting")) }
            rows.append([
                "id": user.id, "name": user.displayName, "email": user.email,
                "roles": try await RoleText.describe(user.grants, request: request),
                "state": state.joined(separator: ", "),
            ])
        }
        var values: [String: Any] = [
            "title": request.text("users.title"), "intro": request.text("users.intro"), "users": rows,
            "nameLabel": request.text("users.name"), "rolesLabel": request.text("users.roles"),
            "stateLabel": request.text("users.state"), "resetLabel": request.text("users.reset"),
        ]
        if let notice { values["notice"] = notice }
        return try Page.render("users", values, request: request)
    }

    @Sendable static func reset(_ request: Request) async throws -> Response {
        let principal = try request.signedIn
        let store = request.context.store
        guard let id = request.parameters.get("id", as: Int.self), let user = try await store.user(id: id),
            user.id != principal.user.id
        else { throw Abort(.notFound) }
        guard AccessPolicy.mayManage(principal.grants, user: user.grants) else { throw Abort(.forbidden) }
        let password = temporaryPassword()
        try await store.setPassword(
            userID: user.id, passwordHash: try Secrets.hashPassword(password), mustChange: true, by: request.actor)
        return try await render(
            request, notice: request.text("users.newPassword", ["email": user.email, "password": password]))
    }

    /// Three groups of four easily read characters, e.g. "k7pm-x2qd-9fhr".
    static func temporaryPassword() -> String {
        let letters = Array("abcdefghjkmnpqrstuvwxyz23456789")
        var generator = SystemRandomNumberGenerator()
        return (0..<3).map { _ in String((0..<4).map { _ in letters.randomElement(using: &generator)! }) }
            .joined(separator: "-")
    }
}

import AttendanceAccounts
import AttendanceStore
import Vapor

/// A user's own password: required first thing after a temporary password.
enum PasswordController {
    struct Form: Content {
        var current: String?
        var new: String?
        var confirm: String?
    }

    @Sendable static func page(_ request: Request) async throws -> Response {
        try render(request, error: nil, status: .ok)
    }

    static func render(_ request: Request, error: String?, status: HTTPStatus) throws -> Response {
        let page = PasswordPage.make(
            mustChange: try request.signedIn.user.mustChangePassword, error: error, text: { request.text($0) })
        return try Page.render(page, request: request, status: status)
    }

    @Sendable static func change(_ request: Request) async throws -> Response {
        let user = try request.signedIn.user
        let form = try request.content.decode(Form.self)
        let new = form.new ?? ""
        var problem: String? = nil
        if !request.context.passwords.verify(form.current ?? "", hash: user.passwordHash) {
            problem = "password.wrongCurrent"
        } else if new != form.confirm {
            problem = "password.mismatch"
        } else if let rule = Secrets.problem(withNewPassword: new, email: user.email) {
            problem = rule
        } else if request.context.passwords.verify(new, hash: user.passwordHash) {
            problem = "password.same"
        }
        if let problem { return try render(request, error: request.text(problem), status: .unprocessableEntity) }
        try await request.context.store.identity.setPassword(
            userID: user.id, passwordHash: try request.context.passwords.hash(new), mustChange: false,
            keepingSession: request.session.id.map { Secrets.digest($0.string) }, by: request.actor)
        return Page.redirect(SiteURL.account.path(query: ["changed": "1"]))
    }
}

import AttendanceCore
import AttendanceStore
import Vapor

/// Sign-in, sign-out. A failed sign-in never says whether the account exists or is waiting.
enum SignInController {
    struct Form: Content {
        var email: String?
        var password: String?
        var next: String?
    }

    /// Only a path on this site may be returned to after signing in.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\") else { return "/" }
        return next
    }

    @Sendable static func page(_ request: Request) async throws -> Response {
        try render(request, next: safeNext(request.query[String.self, at: "next"]), email: "", error: nil, status: .ok)
    }

    static func render(_ request: Request, next: String, email: String, error: String?, status: HTTPStatus) throws
        -> Response
    {
        var values: [String: Any] = [
            "title": request.text("signIn.title"), "emailLabel": request.text("signIn.email"),
            "passwordLabel": request.text("signIn.password"), "submit": request.text("signIn.submit"),
            "next": next, "email": email,
            // The form's CSRF token lives in the session, so the sign-in page is where a session starts.
            "csrf": request.csrfToken,
        ]
        if let error { values["error"] = error }
        if request.query[String.self, at: "out"] != nil { values["notice"] = request.text("signIn.signedOut") }
        if request.context.configuration.demoMode {
            values["hasDemoAccounts"] = true
            values["demoTitle"] = request.text("signIn.demoTitle")
            values["demoIntro"] = request.text("signIn.demoIntro")
            values["demoRole"] = request.text("signIn.demoRole")
            values["demoAccounts"] = DemoAccounts.all.map {
                ["role": request.text("role.\($0.role.rawValue)"), "email": $0.email, "password": $0.password]
            }
        }
        return try Page.render("sign-in", values, request: request, status: status)
    }

    @Sendable static func signIn(_ request: Request) async throws -> Response {
        let form = try request.content.decode(Form.self)
        let email = (form.email ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        let next = safeNext(form.next)
        let store = request.context.store
        let user = email.isEmpty ? nil : try await store.user(email: email)
        let waiting = user?.lockedUntil.map { $0 > Date() } ?? false
        // Always spend one bcrypt check, whether or not the account exists or is waiting.
        let passwordOK = Secrets.verify(form.password ?? "", hash: waiting ? nil : user?.passwordHash)
        guard let user, passwordOK, !waiting else {
            try await store.recordFailedSignIn(
                email: email, actor: Actor(email.isEmpty ? "anonymous" : email, ip: request.remoteAddress?.ipAddress))
            return try render(
                request, next: next, email: email, error: request.text("signIn.failed"), status: .unauthorized)
        }
        try await store.recordSignIn(user: user, actor: Actor(user.email, ip: request.remoteAddress?.ipAddress))
        try await store.deleteExpiredSessions()
        // A new session id on sign-in, so an id planted before it is worth nothing after.
        if let old = request.session.id { try await store.deleteSession(idHash: Secrets.digest(old.string)) }
        request.session.id = nil
        request.session.data = SessionData()
        request.session.data["user_id"] = String(user.id)
        request.session.data["csrf"] = Secrets.randomToken(bytes: 24)
        return Page.redirect(user.mustChangePassword ? "/account/password" : next)
    }

    @Sendable static func signOut(_ request: Request) async throws -> Response {
        try await request.context.store.audit(AuditEvent(actor: request.actor, action: "sign_out"))
        request.session.destroy()
        return Page.redirect("/sign-in?out=1")
    }
}

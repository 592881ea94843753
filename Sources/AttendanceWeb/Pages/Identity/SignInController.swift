import AttendanceAccounts
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

    /// Only a path on this site may be returned to after signing in: one leading `/`, no control characters,
    /// spaces or backslashes (browsers drop some of these and read `/\t/host` as `//host`), and a page the
    /// server has (a route taking GET).
    static func safeNext(_ next: String?, routes: Routes? = nil) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), next.count <= 2048,
            !next.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F || $0 == "\\" })
        else { return "/" }
        guard let routes else { return next }
        let path = next.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0]
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        let known = routes.all.contains { route in
            guard route.method == .GET else { return false }
            if route.path.isEmpty { return parts.count == 1 && parts.first == "" }
            guard route.path.count == parts.count else { return false }
            return zip(route.path, parts).allSatisfy { component, part in
                switch component {
                case .constant(let text): return text == part
                case .parameter: return !part.isEmpty
                default: return false
                }
            }
        }
        return known ? next : "/"
    }

    /// The sign-in form's CSRF token lives in a cookie of its own (checked against the form), so that visiting
    /// the sign-in page leaves nothing in the database: a session starts only when someone signs in.
    static let formCookie = "attendance-sign-in"

    @Sendable static func page(_ request: Request) async throws -> Response {
        try render(
            request, next: safeNext(request.query[String.self, at: "next"], routes: request.application.routes),
            email: "", error: nil, status: .ok)
    }

    static func render(_ request: Request, next: String, email: String, error: String?, status: HTTPStatus) throws
        -> Response
    {
        let token = request.cookies[formCookie]?.string ?? Secrets.randomToken(bytes: 24)
        let page = SignInPage.make(
            next: next, email: email, csrf: token, signedOut: request.query[String.self, at: "out"] != nil,
            error: error, demo: request.context.configuration.demoMode ? DemoAccounts.all : nil,
            text: { request.text($0) })
        let response = try Page.render(page, request: request, status: status)
        response.cookies[formCookie] = HTTPCookies.Value(
            string: token, maxAge: 3600, path: "/sign-in", isSecure: request.context.configuration.secureCookies,
            isHTTPOnly: true, sameSite: .strict)
        return response
    }

    /// Whether the form came from our own sign-in page: its token matches the page's cookie.
    static func formIsOurs(_ request: Request, sent: String?) -> Bool {
        guard let expected = request.cookies[formCookie]?.string, let sent, !sent.isEmpty else { return false }
        return Secrets.constantTimeEqual(sent, expected)
    }

    @Sendable static func signIn(_ request: Request) async throws -> Response {
        let form = try request.content.decode(Form.self)
        let email = String((form.email ?? "").trimmingCharacters(in: .whitespaces).lowercased().prefix(254))
        let next = safeNext(form.next, routes: request.application.routes)
        let store = request.context.store
        let address = request.clientAddress ?? "unknown"
        let throttle = request.context.signInThrottle
        if let wait = await throttle.wait(for: address) {
            let minutes = String(max(1, Int((wait / 60).rounded(.up))))
            return try render(
                request, next: next, email: email, error: request.text("signIn.tooMany", ["minutes": minutes]),
                status: .tooManyRequests)
        }
        let user = email.isEmpty ? nil : try await store.identity.user(email: email)
        let waiting = user?.lockedUntil.map { $0 > Date() } ?? false
        // Always spend one bcrypt check, whether or not the account exists, is waiting or is deactivated.
        let passwordOK = request.context.passwords.verify(form.password ?? "", hash: waiting ? nil : user?.passwordHash)
        guard let user, passwordOK, !waiting, user.isActive else {
            await throttle.recordFailure(from: address)
            try await store.identity.recordFailedSignIn(
                email: email,
                actor: AuditActor(email.isEmpty ? "anonymous" : email, ip: request.clientAddress))
            return try render(
                request, next: next, email: email, error: request.text("signIn.failed"), status: .unauthorized)
        }
        try await store.identity.recordSignIn(
            user: user, actor: AuditActor(user.email, ip: request.clientAddress))
        try await store.identity.deleteExpiredSessions()
        // A new session id on sign-in, so an id planted before it is worth nothing after.
        if let old = request.session.id { try await store.identity.deleteSession(idHash: Secrets.digest(old.string)) }
        request.session.id = nil
        request.session.data = SessionData()
        request.session.data["user_id"] = String(user.id)
        request.session.data["csrf"] = Secrets.randomToken(bytes: 24)
        return Page.redirect(user.mustChangePassword ? SiteURL.password.path() : next)
    }

    @Sendable static func signOut(_ request: Request) async throws -> Response {
        try await request.context.store.auditTrail.record(AuditEvent(actor: request.actor, action: "sign_out"))
        request.session.destroy()
        let response = Page.redirect(SiteURL.signIn.path(query: ["out": "1"]))
        // A shared tablet keeps nothing of a register after sign-out: the browser drops this site's stored pages,
        // the saves held on the device and its service worker (offline.js clears the first two itself as well).
        response.headers.replaceOrAdd(name: "Clear-Site-Data", value: "\"cache\", \"storage\"")
        return response
    }
}

import AttendanceCore
import AttendanceStore
import Vapor

/// Headers on every response: no inline script, no framing, no sniffing, no referrer leaks; behind HTTPS
/// (`--secure-cookies`), browsers are told to use nothing else for a year.
struct SecurityHeadersMiddleware: AsyncMiddleware {
    var strictTransport = false

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        if strictTransport {
            response.headers.replaceOrAdd(
                name: "Strict-Transport-Security", value: "max-age=31536000; includeSubDomains")
        }
        if response.storage[LetterDocumentKey.self] == true {
            // A letter is a self-contained document with its own print styles, shown in the template editor's
            // preview frame: no script at all, inline styles only, framed only by this site.
            response.headers.replaceOrAdd(
                name: "Content-Security-Policy",
                value:
                    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; form-action 'none'; base-uri 'none'"
            )
            response.headers.replaceOrAdd(name: "X-Frame-Options", value: "SAMEORIGIN")
        } else {
            response.headers.replaceOrAdd(
                name: "Content-Security-Policy",
                value:
                    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
            )
            response.headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY")
        }
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        response.headers.replaceOrAdd(name: "Referrer-Policy", value: "same-origin")
        return response
    }
}

/// Marks a response as a letter document (see `SecurityHeadersMiddleware`).
struct LetterDocumentKey: StorageKey {
    typealias Value = Bool
}

extension Response {
    /// A letter or its preview, as an HTML document with the letter's own styles.
    static func letterDocument(_ html: String, status: HTTPStatus = .ok) -> Response {
        let response = Response(status: status, body: .init(string: html))
        response.headers.contentType = .html
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        response.storage[LetterDocumentKey.self] = true
        return response
    }
}

/// The page an error becomes: what went wrong, in the reader's language, and the way home.
struct ErrorPage: PageModel {
    static let template = "error"
    let title: String
    let message: String
    let back: String
}

/// Turns every error into a page in the reader's language (or JSON for API calls), never a stack trace.
/// The details go to the log, without personal data.
struct PageErrorMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            let (status, message) = Self.sentence(error, text: { request.text($0, $1) })
            if status.code >= 500 {
                // The route's pattern, never the path: a path names pupils and can be any length.
                request.logger.error(
                    "\(request.method) \(Self.pattern(of: request)) failed: \(String(reflecting: type(of: error)))")
            }
            let strings = request.context.strings
            let language = request.language
            // Waiting too long for the database is said as busy, not broken; other 503s (no PDF maker) keep theirs.
            let busy = error is ConnectionPoolTimeoutError
            if busy { request.context.metrics.poolExhausted() }
            let response: Response
            if request.isAPI {
                response = Response(status: status)
                try response.content.encode(["error": message])
            } else {
                response = try Page.render(
                    ErrorPage(
                        title: strings(busy ? "error.title.busy" : Self.titleKey(status), language), message: message,
                        back: strings("error.back", language)),
                    request: request, status: status)
            }
            // Busy is for a moment: a program calling the API is told when to try again.
            if busy { response.headers.replaceOrAdd(name: .retryAfter, value: "30") }
            return response
        }
    }

    /// A refusal is headed as one, a missing page as missing, a bad request as something to put right; only the
    /// server's own failures are "something went wrong".
    static func titleKey(_ status: HTTPStatus) -> String {
        switch status.code {
        case 401, 403: "error.title.refused"
        case 404: "error.title.notFound"
        case 400..<500: "error.title.badRequest"
        default: "error.title"
        }
    }

    /// The matched route as declared (`/pupils/:upn`), or a placeholder when none matched.
    static func pattern(of request: Request) -> String {
        guard let route = request.route else { return "(no route)" }
        return "/" + route.path.map(\.description).joined(separator: "/")
    }

    /// The status and the sentence a reader is shown, in their language (`text`): the catalogue's sentence for the
    /// error, with what it names in brackets.
    static func sentence(_ error: any Error, text: (String, [String: String]) -> String) -> (HTTPStatus, String) {
        let (status, key, detail) = words(error, text: text)
        return (status, text(key, [:]) + (detail.map { " (\($0))" } ?? ""))
    }

    /// The status, the sentence's key, and what it names in the reader's language.
    static func words(_ error: any Error, text: (String, [String: String]) -> String) -> (HTTPStatus, String, String?) {
        if let refusal = error as? FormRefusal { return words(refusal.error, text: text) }
        guard let web = error as? WebError else { return describe(error) }
        let (key, detail) = web.words(text)
        return (web.status, key, detail)
    }

    /// The status, the string catalogue key, and for a bad request the field it names.
    static func describe(_ error: any Error) -> (HTTPStatus, String, String?) {
        if let refusal = error as? FormRefusal { return describe(refusal.error) }
        if let web = error as? WebError {
            switch web {
            case .badField(let field, _, _), .missingField(let field), .badQuery(let field, _):
                return (web.status, "error.badRequest", field)
            default: return (web.status, web.words { key, _ in key }.key, nil)
            }
        }
        // The store refuses what the pages should have caught: still the client's mistake, never a 500.
        if let store = error as? StoreError {
            switch store {
            case .notFound: return (.notFound, "error.notFound", nil)
            case .reasonRequired: return (.conflict, "error.reasonRequired", nil)
            case .lesson(.needReason): return (.conflict, "error.reasonRequired", nil)
            case .lesson(let problem): return (.unprocessableEntity, "error.lesson.\(problem.key)", nil)
            case .unknownCode(let code): return (.unprocessableEntity, "error.unknownCode", code)
            case .duplicateMark: return (.unprocessableEntity, "error.duplicateMark", nil)
            case .evidenceRequired: return (.unprocessableEntity, "contact.needsEvidence", nil)
            case .notPending: return (.conflict, "error.notPending", nil)
            // Only the retention command removes; were a page ever to, the rows changed under it just as here.
            case .decidedMeanwhile, .retentionChanged: return (.conflict, "error.decidedMeanwhile", nil)
            case .notAnEmail(let email): return (.unprocessableEntity, "error.notAnEmail", email)
            case .emailTaken: return (.conflict, "error.emailTaken", nil)
            case .badGrant(let problem): return (.unprocessableEntity, "error.grant.\(problem.key)", nil)
            case .notADelegateRole: return (.unprocessableEntity, "error.notADelegateRole", nil)
            case .lastRole: return (.unprocessableEntity, "error.lastRole", nil)
            case .cannotCloseAs: return (.unprocessableEntity, "error.cannotClose", nil)
            case .leave(.alreadyDecided): return (.conflict, "error.leave.alreadyDecided", nil)
            case .leave(let problem): return (.unprocessableEntity, "error.leave.\(problem.key)", problem.field)
            case .badReport(let field): return (.unprocessableEntity, "error.badReport", field)
            case .reportDates: return (.unprocessableEntity, "error.badReport", "from")
            case .penalty(.notNow): return (.conflict, "error.penalty.notNow", nil)
            case .penalty(let problem): return (.unprocessableEntity, "error.penalty.\(problem.key)", nil)
            case .esw(.notNow): return (.conflict, "error.esw.notNow", nil)
            case .esw(let problem): return (.unprocessableEntity, "error.esw.\(problem.key)", nil)
            case .eswPlan(.notNow): return (.conflict, "error.esw.planNotNow", nil)
            case .eswPlan(let problem): return (.unprocessableEntity, "error.esw.\(problem.key)", nil)
            case .eswPanel(.panelNotNow): return (.conflict, "error.esw.panelNotNow", nil)
            case .eswPanel(let problem): return (.unprocessableEntity, "error.esw.\(problem.key)", nil)
            case .roll(let problem): return (.unprocessableEntity, "error.roll.\(problem.key)", nil)
            case .legal(.outOfOrder): return (.conflict, "error.legal.outOfOrder", nil)
            case .legal(.alreadyStarted): return (.conflict, "error.legal.alreadyStarted", nil)
            case .legal(let problem): return (.unprocessableEntity, "error.legal.\(problem.key)", nil)
            case .target(let problem): return (.unprocessableEntity, "error.target.\(problem.rawValue)", "target")
            case .schoolGroup(.noSuchGroup): return (.notFound, "error.notFound", nil)
            case .schoolGroup(.nameTaken): return (.conflict, "error.group.nameTaken", "name")
            case .schoolGroup(let problem): return (.unprocessableEntity, "error.group.\(problem.rawValue)", nil)
            case .concern(.notNow): return (.conflict, "error.concern.not_now", nil)
            case .concern(let problem): return (.unprocessableEntity, "error.concern.\(problem.rawValue)", nil)
            case .intervention(.ended): return (.conflict, "error.intervention.ended", nil)
            case .intervention(.alreadyRecorded): return (.conflict, "error.intervention.already_recorded", nil)
            case .intervention(let problem):
                return (.unprocessableEntity, "error.intervention.\(problem.rawValue)", nil)
            case .sanction(let refusal): return (.unprocessableEntity, "error.sanction.\(refusal.rawValue)", nil)
            case .medical(.alreadyReferred): return (.conflict, "error.medical.alreadyReferred", nil)
            case .medical(let problem): return (.unprocessableEntity, "error.medical.\(problem.key)", nil)
            case .patrolMatch(.alreadyMatched): return (.conflict, "error.patrol.alreadyMatched", nil)
            case .patrolMatch(let problem): return (.unprocessableEntity, "error.patrol.\(problem.key)", nil)
            case .admission(.notPrepared): return (.conflict, "error.admission.not_prepared", nil)
            case .admission(let problem): return (.unprocessableEntity, "error.admission.\(problem.rawValue)", nil)
            case .badDatabaseURL, .corrupt: return (.internalServerError, "error.server", nil)
            }
        }
        if let input = error as? InputError {
            switch input {
            case .badDate(let field): return (.badRequest, "error.badDate", field)
            case .tooLong(let field, let limit): return (.unprocessableEntity, "error.tooLong", "\(field), \(limit)")
            case .controlCharacters(let field): return (.unprocessableEntity, "error.controlCharacters", field)
            }
        }
        // Every connection stayed taken for the whole wait: the server is busy, not broken; nothing was changed.
        if error is ConnectionPoolTimeoutError { return (.serviceUnavailable, "error.busy", nil) }
        guard let abort = error as? any AbortError else { return (.internalServerError, "error.server", nil) }
        let status = abort.status
        switch status {
        case .notFound: return (status, "error.notFound", nil)
        case .forbidden: return (status, "error.forbidden", nil)
        case .unauthorized: return (status, "error.unauthorized", nil)
        case .badRequest, .unprocessableEntity:
            // Our own bad-request reasons name the field; Vapor's default reason is just the status name.
            return (status, "error.badRequest", abort.reason == status.reasonPhrase ? nil : abort.reason)
        default: return (status, status.code < 500 ? "error.badRequest" : "error.server", nil)
        }
    }
}

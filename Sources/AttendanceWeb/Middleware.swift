import AttendanceCore
import AttendanceStore
import Vapor

/// Headers on every response: no inline script, no framing, no sniffing, no referrer leaks.
struct SecurityHeadersMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        response.headers.replaceOrAdd(
            name: "Content-Security-Policy",
            value:
                "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
        )
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        response.headers.replaceOrAdd(name: "Referrer-Policy", value: "same-origin")
        response.headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY")
        return response
    }
}

/// Turns every error into a page in the reader's language (or JSON for API calls), never a stack trace.
/// The details go to the log, without personal data.
struct PageErrorMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            let status: HTTPStatus
            let key: String
            switch error {
            case let abort as any AbortError:
                status = abort.status
                key =
                    abort.status == .notFound
                    ? "error.notFound" : abort.status.code < 500 ? "error.badRequest" : "error.server"
            case is StoreError:
                status = .internalServerError
                key = "error.server"
            default:
                status = .internalServerError
                key = "error.server"
            }
            if status.code >= 500 {
                request.logger.error(
                    "\(request.method) \(request.url.path) failed: \(String(reflecting: type(of: error)))")
            }
            let strings = request.context.strings
            let language = request.language
            if request.isAPI {
                let response = Response(status: status)
                try response.content.encode(["error": strings(key, language)])
                return response
            }
            return try Page.render(
                "error",
                [
                    "title": strings("error.title", language), "message": strings(key, language),
                    "back": strings("error.back", language),
                ],
                request: request, status: status)
        }
    }
}

import AttendanceStore
import Vapor

/// `/ready`, for a load balancer or a supervisor: 200 when the database answers and has every migration, else 503,
/// so no user is sent to a server that cannot serve them. `/health` says only that the process answers.
enum ReadinessCheck {
    struct Answer: Content {
        let status: String
        /// Migrations the database still lacks (only when that is why).
        let migrationsPending: Int?
    }

    @Sendable static func answer(_ request: Request) async throws -> Response {
        let readiness = await request.context.store.operations.readiness()
        let answer: Answer
        switch readiness {
        case .ready: answer = Answer(status: "ready", migrationsPending: nil)
        case .unreachable: answer = Answer(status: "database_unreachable", migrationsPending: nil)
        case .migrationsPending(let count): answer = Answer(status: "migrations_pending", migrationsPending: count)
        }
        let response = try await answer.encodeResponse(for: request)
        response.status = readiness == .ready ? .ok : .serviceUnavailable
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }
}

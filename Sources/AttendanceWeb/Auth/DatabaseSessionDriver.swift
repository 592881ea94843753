import AttendanceAccounts
import AttendanceStore
import Foundation
import Vapor

/// Keeps web sessions in the database (only a hash of the cookie's secret), so they survive a restart and
/// work the same on SQLite and PostgreSQL.
struct DatabaseSessionDriver: SessionDriver {
    let store: Store
    /// A session ends after this long without a request.
    static let idleLifetime: TimeInterval = 8 * 3600

    func createSession(_ data: SessionData, for request: Request) -> EventLoopFuture<SessionID> {
        request.eventLoop.makeFutureWithTask {
            let id = SessionID(string: Secrets.randomToken())
            try await save(id, data)
            return id
        }
    }

    func readSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<SessionData?> {
        request.eventLoop.makeFutureWithTask {
            guard let text = try await store.identity.session(idHash: Secrets.digest(sessionID.string)) else {
                return nil
            }
            return try JSONDecoder().decode(SessionData.self, from: Data(text.utf8))
        }
    }

    func updateSession(_ sessionID: SessionID, to data: SessionData, for request: Request) -> EventLoopFuture<SessionID>
    {
        request.eventLoop.makeFutureWithTask {
            try await save(sessionID, data)
            return sessionID
        }
    }

    func deleteSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<Void> {
        request.eventLoop.makeFutureWithTask {
            try await store.identity.deleteSession(idHash: Secrets.digest(sessionID.string))
        }
    }

    private func save(_ id: SessionID, _ data: SessionData) async throws {
        let text = String(decoding: try JSONEncoder().encode(data), as: UTF8.self)
        try await store.identity.saveSession(
            idHash: Secrets.digest(id.string), data: text, userID: data["user_id"].flatMap(Int.init),
            expires: Date().addingTimeInterval(Self.idleLifetime))
    }
}

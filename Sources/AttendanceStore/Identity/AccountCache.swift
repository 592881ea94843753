import Foundation
import SQLKit
import Synchronization

/// Signed-in users and their API tokens, held in memory: every request is authenticated, and reading a user with
/// their roles took three queries and decoding them. What is held is trusted only under the `account_version` it
/// was read under, and that number is read again on every request: any change to a user, a role or a token (in
/// this process or another, such as `attendance users deactivate`) moves it, so a revoked token or a removed role
/// is refused on the very next request, as it was before anything was held.
final class AccountCache: Sendable {
    /// A live token as last read: whose it is and when its use was last written down.
    struct Token: Sendable {
        let id: Int
        let userID: Int
        var lastUsed: String?
    }

    struct State {
        var version: Int
        var tokens: [String: Token] = [:]
        var users: [Int: UserAccount] = [:]
        /// Every account's display name by its email, for pages that say who did something.
        var names: [String: String]?
    }

    private let state = Mutex(State(version: -1))

    func token(_ hash: String, version: Int) -> Token? {
        state.withLock { $0.version == version ? $0.tokens[hash] : nil }
    }

    func user(_ id: Int, version: Int) -> UserAccount? {
        state.withLock { $0.version == version ? $0.users[id] : nil }
    }

    func names(version: Int) -> [String: String]? {
        state.withLock { $0.version == version ? $0.names : nil }
    }

    func keep(names: [String: String], version: Int) {
        state.withLock { held in
            guard Self.adopt(version, into: &held) else { return }
            held.names = names
        }
    }

    /// Keeps a token read under `version`. A newer version forgets everything held under an older one; a
    /// reading older than what is held is not kept.
    func keep(_ token: Token, for hash: String, version: Int) {
        state.withLock { held in
            guard Self.adopt(version, into: &held) else { return }
            held.tokens[hash] = token
        }
    }

    func keep(_ user: UserAccount, version: Int) {
        state.withLock { held in
            guard Self.adopt(version, into: &held) else { return }
            held.users[user.id] = user
        }
    }

    private static func adopt(_ version: Int, into held: inout State) -> Bool {
        if version > held.version { held = State(version: version) }
        return version == held.version
    }
}

extension Store {
    /// The accounts' version as committed now (read on every request: see `AccountCache`).
    func accountVersion() async throws -> Int {
        try await reader.raw("SELECT version FROM account_version WHERE id = 1")
            .first(decodingColumn: "version", as: Int.self) ?? 0
    }

    /// Marks users, roles or tokens changed, inside the writing transaction: every process sees the new version
    /// once it commits, and stops trusting what it holds.
    static func accountsChanged(on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE account_version SET version = version + 1 WHERE id = 1").run()
    }
}

import Vapor

/// Hashes and checks passwords with bcrypt (Vapor's implementation: the reason this target imports Vapor). The
/// cost is a value, not a constant, so tests can hash cheaply; the server and the command use `standard`.
public struct Passwords: Sendable {
    /// bcrypt's work factor: 12 is about a quarter of a second a check on this machine.
    public let cost: Int
    /// Checked when no account matches, so a sign-in for an unknown email takes as long as one for a real account.
    let dummyHash: String

    public init(cost: Int) {
        self.cost = cost
        // A fixed input and a valid cost (4...31) cannot fail to hash.
        dummyHash = (try? Bcrypt.hash("not a password anyone has", cost: cost)) ?? ""
    }

    /// What the server and the command use.
    public static let standard = Passwords(cost: 12)

    public func hash(_ password: String) throws -> String { try Bcrypt.hash(password, cost: cost) }

    /// Checks a password. Without a stored hash it still spends the time of a check.
    public func verify(_ password: String, hash: String?) -> Bool {
        guard let hash else {
            _ = try? Bcrypt.verify(password, created: dummyHash)
            return false
        }
        return (try? Bcrypt.verify(password, created: hash)) ?? false
    }
}

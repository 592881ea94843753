import Crypto
import Foundation
import Vapor

/// Passwords (bcrypt) and random secrets (sessions, API tokens, CSRF), kept in one place.
public enum Secrets {
    /// bcrypt's work factor: about a quarter of a second a check on this machine.
    static let cost = 12

    public static func hashPassword(_ password: String) throws -> String {
        try Bcrypt.hash(password, cost: cost)
    }

    /// Checks a password. Without a stored hash it still spends the time of a check, so a sign-in for an
    /// unknown email takes as long as one for a real account.
    static func verify(_ password: String, hash: String?) -> Bool {
        guard let hash else {
            _ = try? Bcrypt.verify(password, created: dummyHash)
            return false
        }
        return (try? Bcrypt.verify(password, created: hash)) ?? false
    }

    static let dummyHash = try! Bcrypt.hash("not a password anyone has", cost: cost)

    /// A new random secret, URL-safe.
    static func randomToken(bytes: Int = 32) -> String {
        var generator = SystemRandomNumberGenerator()
        let data = Data((0..<bytes).map { _ in UInt8.random(in: 0...255, using: &generator) })
        return data.base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// Compares two secrets in time that does not depend on where they differ.
    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        a.utf8.count == b.utf8.count && zip(a.utf8, b.utf8).reduce(0, { $0 | ($1.0 ^ $1.1) }) == 0
    }

    /// What the database keeps of a session id or token: its SHA-256, in hex.
    static func digest(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// The rules a new password must meet; nil when it is acceptable, else a string catalogue key.
    static func problem(withNewPassword password: String, email: String) -> String? {
        if password.count < 10 { return "password.tooShort" }
        if password.lowercased().contains(email.split(separator: "@").first.map(String.init)?.lowercased() ?? "\u{0}") {
            return "password.containsEmail"
        }
        return nil
    }
}

import Crypto
import Foundation

/// Random secrets (sessions, API tokens, CSRF, temporary passwords), their digests and the rules for a new
/// password, kept in one place for the web and the command.
public enum Secrets {
    /// A new random secret, URL-safe.
    public static func randomToken(bytes: Int = 32) -> String {
        var generator = SystemRandomNumberGenerator()
        let data = Data((0..<bytes).map { _ in UInt8.random(in: 0...255, using: &generator) })
        return data.base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// Compares two secrets in time that does not depend on where they differ.
    public static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        a.utf8.count == b.utf8.count && zip(a.utf8, b.utf8).reduce(0, { $0 | ($1.0 ^ $1.1) }) == 0
    }

    /// What the database keeps of a session id or token: its SHA-256, in hex.
    public static func digest(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// The rules a new password must meet; nil when it is acceptable, else a string catalogue key.
    public static func problem(withNewPassword password: String, email: String) -> String? {
        if password.count < 10 { return "password.tooShort" }
        if password.lowercased().contains(email.split(separator: "@").first.map(String.init)?.lowercased() ?? "\u{0}") {
            return "password.containsEmail"
        }
        return nil
    }

    /// A temporary password: three groups of four easily read characters, e.g. "k7pm-x2qd-9fhr".
    public static func temporaryPassword() -> String {
        let letters = Array("abcdefghjkmnpqrstuvwxyz23456789")
        var generator = SystemRandomNumberGenerator()
        return (0..<3).map { _ in
            String((0..<4).map { _ in letters[Int.random(in: 0..<letters.count, using: &generator)] })
        }
        .joined(separator: "-")
    }
}

import Foundation

/// Where email goes: from the environment (`ATTENDANCE_SMTP_*`), never from a file in the repository.
public struct SMTPConfiguration: Sendable, Equatable {
    public enum Security: String, Sendable {
        /// Plain, for a relay on the same machine or a test server.
        case none
        /// Upgrade with STARTTLS before anything else is said (port 587).
        case startTLS = "starttls"
    }

    public var host: String
    public var port: Int
    public var security: Security
    public var username: String?
    public var password: String?
    /// The school's or authority's sending address.
    public var from: String
    /// A PEM file of certificate authorities to trust instead of the system's (a private relay).
    public var caFile: String?
    public var timeout: TimeInterval = 30

    public init(
        host: String, port: Int, security: Security, username: String? = nil, password: String? = nil,
        from: String, caFile: String? = nil
    ) {
        self.host = host
        self.port = port
        self.security = security
        self.username = username
        self.password = password
        self.from = from
        self.caFile = caFile
    }

    /// `ATTENDANCE_SMTP_HOST` (required), `_PORT` (587), `_SECURITY` (starttls|none), `_USERNAME`,
    /// `_PASSWORD`, `_FROM` (required), `_CA_FILE`. Nil when no host is set: email is then off.
    public static func fromEnvironment(_ environment: [String: String]) throws
        -> SMTPConfiguration?
    {
        guard let host = environment["ATTENDANCE_SMTP_HOST"], !host.isEmpty else { return nil }
        guard let from = environment["ATTENDANCE_SMTP_FROM"], from.contains("@") else {
            throw MessagingProblem("ATTENDANCE_SMTP_FROM: give the address email is sent from")
        }
        let portText = environment["ATTENDANCE_SMTP_PORT"] ?? "587"
        guard let port = Int(portText), (1...65535).contains(port) else {
            throw MessagingProblem("ATTENDANCE_SMTP_PORT: \(portText) is not a port number")
        }
        let securityText = environment["ATTENDANCE_SMTP_SECURITY"] ?? "starttls"
        guard let security = Security(rawValue: securityText.lowercased()) else {
            throw MessagingProblem("ATTENDANCE_SMTP_SECURITY: \(securityText) is not starttls or none")
        }
        return SMTPConfiguration(
            host: host, port: port, security: security, username: environment["ATTENDANCE_SMTP_USERNAME"],
            password: environment["ATTENDANCE_SMTP_PASSWORD"], from: from,
            caFile: environment["ATTENDANCE_SMTP_CA_FILE"])
    }
}

/// A message could not be sent, or the sender is not set up; the text says which and why.
public struct MessagingProblem: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

import AttendanceCore
import Vapor

/// What a route's permission is asked about, found from its path parameters.
enum TargetKind: Sendable {
    case none
    /// The `:laestab` parameter.
    case school
    /// The `:upn` parameter.
    case pupil
    /// The `:laestab` and `:group` parameters (and `:date`, or today, for the group's year groups).
    case registrationGroup
    /// The `:request` parameter: a leave request, asked about as its school.
    case leaveRequest
    /// The `:laestab`, `:date` and `:lesson` parameters: a lesson on a day, with who teaches it then.
    case lesson
}

/// A route's declaration: the permission it needs and of what.
struct RouteRule: Sendable {
    let permission: Permission
    let target: TargetKind
    /// Reachable before a temporary password is changed (the password page and sign-out).
    let beforePasswordChange: Bool
    /// The sign-in form: its CSRF token is checked against the sign-in page's own cookie, not a session.
    var signInForm = false
    /// The most a request's body may hold: a form's megabyte, or an uploaded file's more.
    var bodyLimit = 1 << 20
}

extension Route {
    /// Declares the permission this route needs. A route without one is refused, and a test fails.
    @discardableResult
    func requires(
        _ permission: Permission, of target: TargetKind = .none, beforePasswordChange: Bool = false
    ) -> Route {
        userInfo["rule"] = RouteRule(permission: permission, target: target, beforePasswordChange: beforePasswordChange)
        return self
    }

    var rule: RouteRule? { userInfo["rule"] as? RouteRule }

    /// The most an uploaded file's form may hold: a Common Transfer File for a whole year group with years of marks.
    static let uploadLimit = 16 << 20

    /// Marks a form that sends a file (see `RouteRule.bodyLimit`).
    @discardableResult
    func takesFiles() -> Route {
        if var rule { rule.bodyLimit = Self.uploadLimit; userInfo["rule"] = rule }
        return self
    }

    /// Marks the sign-in form (see `RouteRule.signInForm`).
    @discardableResult
    func signInForm() -> Route {
        if var rule { rule.signInForm = true; userInfo["rule"] = rule }
        return self
    }
}

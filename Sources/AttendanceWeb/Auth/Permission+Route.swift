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
}

/// A route's declaration: the permission it needs and of what.
struct RouteRule: Sendable {
    let permission: Permission
    let target: TargetKind
    /// Reachable before a temporary password is changed (the password page and sign-out).
    let beforePasswordChange: Bool
    /// The sign-in form: its CSRF token is checked against the sign-in page's own cookie, not a session.
    var signInForm = false
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

    /// Marks the sign-in form (see `RouteRule.signInForm`).
    @discardableResult
    func signInForm() -> Route {
        if var rule { rule.signInForm = true; userInfo["rule"] = rule }
        return self
    }
}

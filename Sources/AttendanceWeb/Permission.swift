import Vapor

/// What a route needs before it answers. Every route declares one; a test walks the routes and fails on any
/// without. Sign-in and roles (education lead, head teacher, form tutor, parent…) extend this list.
enum Permission: String, Sendable, CaseIterable {
    /// Aggregate figures with no pupil named in them, and the service's health.
    case publicFigures = "public_figures"
}

struct PermissionKey: StorageKey {
    typealias Value = Permission
}

extension Route {
    /// Declares the permission this route needs.
    @discardableResult
    func requires(_ permission: Permission) -> Route {
        userInfo["permission"] = permission
        return self
    }

    var permission: Permission? { userInfo["permission"] as? Permission }
}

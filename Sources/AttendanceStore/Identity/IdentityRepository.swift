/// People who sign in: accounts, their roles at schools, passwords, sign-ins, web sessions and API tokens (tables `users`, `role_grants`, `sessions`, `api_tokens`). The audit trail they leave stays with the store's unit of work (`Store.audit`).
public struct IdentityRepository: Sendable {
    let store: Store
}

extension Store {
    public var identity: IdentityRepository { IdentityRepository(store: self) }
}

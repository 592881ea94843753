/// Each pupil's contacts as the school's records give them (imported from the MIS), and what a parent keeps up to date of their own (table `contacts`).
public struct ContactRepository: Sendable {
    let store: Store
}

extension Store {
    public var contacts: ContactRepository { ContactRepository(store: self) }
}

/// The reference data every feature reads and imports keep: local authorities, schools, their calendars,
/// pupils and their enrolments (the roll), keyed by LAESTAB and UPN at its edge. Reads of schools, calendars and
/// rolls come from memory while `reference_version` has not moved (`ReferenceCache`).
public struct ReferenceRepository: Sendable {
    let store: Store
}

extension Store {
    public var reference: ReferenceRepository { ReferenceRepository(store: self) }
}

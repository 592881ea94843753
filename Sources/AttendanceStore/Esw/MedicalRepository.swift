/// Medical evidence the office has seen and referrals to the Community Paediatrician with their outcomes and reintegration plans (tables `medical_evidence`, `paediatric_referrals`), and whether Letter 3 went, which decides what evidence an absence needs.
public struct MedicalRepository: Sendable {
    let store: Store
}

extension Store {
    public var medical: MedicalRepository { MedicalRepository(store: self) }
}

/// Leaving the roll and children missing education: deletions from a register with their grounds, referrals, enquiries and outcomes, and the candidates the record suggests (tables `roll_deletions`, `missing_education_cases`, `missing_education_enquiries`).
public struct RollRepository: Sendable {
    let store: Store
}

extension Store {
    public var roll: RollRepository { RollRepository(store: self) }
}

/// Penalty notice cases from the head's request to payment or prosecution, their evidence and packs, and the legal proceedings that follow (tables `penalty_cases`, `penalty_notices`, `penalty_packs`, `legal_proceedings`, `legal_steps`).
public struct PenaltyRepository: Sendable {
    let store: Store
}

extension Store {
    public var penalties: PenaltyRepository { PenaltyRepository(store: self) }
}

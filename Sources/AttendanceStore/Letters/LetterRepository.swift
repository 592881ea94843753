/// Letters kept as sent, their batches and the school's wording of them, and deliveries by email and text with their attempts (tables `letters`, `letter_batches`, `letter_templates`, `deliveries`).
public struct LetterRepository: Sendable {
    let store: Store
}

extension Store {
    public var letters: LetterRepository { LetterRepository(store: self) }
}

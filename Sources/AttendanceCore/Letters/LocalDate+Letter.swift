extension LocalDate {
    static let monthsEn = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ]
    static let monthsCy = [
        "Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin", "Gorffennaf", "Awst", "Medi", "Hydref",
        "Tachwedd", "Rhagfyr",
    ]

    /// The date as a letter writes it: "25 November 2026", "25 Tachwedd 2026".
    public func letterText(_ language: Language) -> String {
        let months = language == .cy ? Self.monthsCy : Self.monthsEn
        return "\(day) \(months[month - 1]) \(year)"
    }
}

/// Pupils on one list (a register, a form) told apart where their names are the same: by the initial of a
/// second forename when the record has one that differs, else by the day and month of birth ("born 4 March"),
/// no more personal data than is needed to tell them apart. A name no one else on the list has is left alone.
public enum NamesOnAList {
    /// What to show after each colliding pupil's name ("E.", "4 March"), by UPN; pupils not in it need nothing.
    public static func tellApart(_ pupils: [Pupil], language: Language) -> [UPN: String] {
        let byName = Dictionary(grouping: pupils) { $0.displayName.lowercased() }
        var said: [UPN: String] = [:]
        for (_, same) in byName where same.count > 1 {
            let initials = same.map(secondInitial)
            let initialsTellApart = !initials.contains(nil) && Set(initials).count == same.count
            for (pupil, initial) in zip(same, initials) {
                if initialsTellApart, let initial {
                    said[pupil.upn] = "\(initial)."
                } else {
                    let born = pupil.dateOfBirth.letterText(language).split(separator: " ").prefix(2)
                        .joined(separator: " ")
                    said[pupil.upn] = (language == .cy ? "ganwyd " : "born ") + born
                }
            }
        }
        return said
    }

    /// How a register lists a pupil, session or lesson: "Surname, Forename" (preferred names where given) with what
    /// tells them apart from another of the same name (`tellApart`), and the initials its row shows.
    public static func registerName(_ pupil: Pupil, told: String?) -> (name: String, initials: String) {
        let forename = pupil.preferredForename ?? pupil.legalForename
        let surname = pupil.preferredSurname ?? pupil.legalSurname
        return ("\(surname), \(forename)\(suffix(told))", String(forename.prefix(1)) + String(surname.prefix(1)))
    }

    /// What tells a pupil apart, as it follows their name: " E." or " (born 4 March)"; nothing when nothing is needed.
    public static func suffix(_ told: String?) -> String {
        told.map { $0.hasSuffix(".") ? " \($0)" : " (\($0))" } ?? ""
    }

    /// The initial of the second of the legal forenames ("Grace Elizabeth" → "E"), if there is one.
    static func secondInitial(_ pupil: Pupil) -> String? {
        let names = pupil.legalForename.split(separator: " ")
        return names.count > 1 ? names[1].first.map { String($0).uppercased() } : nil
    }
}

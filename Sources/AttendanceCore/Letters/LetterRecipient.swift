/// One copy of a letter: the people at one address, in the languages they read.
public struct LetterRecipient: Sendable, Hashable, Codable {
    public let names: [String]
    public let address: String?
    public let email: String?
    /// Welsh first whenever both are sent (Welsh Language Standards: never less favourable).
    public let languages: [Language]

    public init(names: [String], address: String?, email: String?, languages: [Language]) {
        self.names = names
        self.address = address
        self.email = email
        self.languages = languages
    }

    /// The Education Social Work service, for the referral form.
    public static let educationSocialWork = LetterRecipient(
        names: ["Education Social Work Service / Gwasanaeth Gwaith Cymdeithasol Addysg"], address: nil, email: nil,
        languages: [.cy, .en])

    /// Who gets a letter to a pupil's parents: every contact with parental responsibility, one copy per address
    /// (separated parents each get their own); with no such contact, the first contact. People at one address
    /// share a copy, in Welsh if all prefer Welsh, English if all prefer English, otherwise both.
    public static func parents(of contacts: [Contact]) -> [LetterRecipient] {
        let ordered = contacts.sorted { $0.priority < $1.priority }
        var chosen = ordered.filter(\.parentalResponsibility)
        if chosen.isEmpty, let first = ordered.first { chosen = [first] }
        var groups: [(key: String, contacts: [Contact])] = []
        for contact in chosen {
            // Without an address a contact cannot share an envelope with anyone.
            let key = contact.address.map(normalised) ?? "\u{0}\(contact.priority)"
            if let index = groups.firstIndex(where: { $0.key == key && !key.isEmpty }) {
                groups[index].contacts.append(contact)
            } else {
                groups.append((key, [contact]))
            }
        }
        return groups.map { group in
            let preferences = Set(group.contacts.map(\.language))
            let languages: [Language] =
                preferences == [.cy] ? [.cy] : preferences == [.en] ? [.en] : [.cy, .en]
            return LetterRecipient(
                names: group.contacts.map(\.name), address: group.contacts.compactMap(\.address).first,
                email: group.contacts.compactMap(\.email).first { !$0.isEmpty }, languages: languages)
        }
    }

    /// Addresses written differently ("1 High St, LL11" and "1 high st LL11") are the same envelope.
    static func normalised(_ address: String) -> String {
        address.lowercased().split { !$0.isLetter && !$0.isNumber }.joined(separator: " ")
    }
}

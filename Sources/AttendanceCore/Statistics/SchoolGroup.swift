/// A group of pupils a school makes for itself (a nurture group, a mentoring group), analysed beside the groups
/// the policy names.
public struct SchoolGroup: Sendable, Hashable {
    public let name: String
    public let members: Set<UPN>

    public init(name: String, members: Set<UPN>) {
        (self.name, self.members) = (name, members)
    }

    /// The longest name a group may have: it heads a line of a table and a bar of a chart.
    public static let nameLimit = 40

    public enum Problem: String, Error, Equatable, Sendable {
        /// No name, or only spaces.
        case noName
        /// Longer than `nameLimit`, or with a control character.
        case badName
        /// The school has a group of that name already.
        case nameTaken
        /// A pupil not on the school's roll today.
        case notOnRoll
        /// No group of that name at the school.
        case noSuchGroup
    }

    /// A group's name as typed: trimmed, its inner runs of spaces made one.
    public static func name(typed text: String) throws(Problem) -> String {
        let name = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        guard !name.isEmpty else { throw .noName }
        guard name.count <= nameLimit,
            !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else { throw .badName }
        return name
    }
}

extension RoleGrant {
    /// The grant as the audit trail and the command write it: "head_of_year at 6654001 (years 7,8)",
    /// "parent at 6654001 of A123456789012". The audit keeps this text; `init(recorded:)` reads it back so a page can
    /// say it in words.
    public var recorded: String {
        var text = role.rawValue
        if let school { text += " at \(school)" }
        if !yearGroups.isEmpty { text += " (years \(yearGroups.joined(separator: ",")))" }
        if !registrationGroups.isEmpty { text += " (groups \(registrationGroups.joined(separator: ",")))" }
        if let child { text += " of \(child)" }
        return text
    }

    /// Reads `recorded` back; nil for text that is not a grant.
    public init?(recorded text: String) {
        var rest = Substring(text)
        let roleName = rest.prefix { $0 != " " }
        guard let role = Role(rawValue: String(roleName)) else { return nil }
        rest = rest.dropFirst(roleName.count)
        func take(_ prefix: String, upTo end: Character?) -> String? {
            guard rest.hasPrefix(prefix) else { return nil }
            let value = rest.dropFirst(prefix.count).prefix { $0 != end && (end != nil || $0 != " ") }
            rest = rest.dropFirst(prefix.count + value.count + (end == nil ? 0 : 1))
            return String(value)
        }
        let school = take(" at ", upTo: nil).flatMap { LAESTAB(text: $0) }
        let years = take(" (years ", upTo: ")")?.split(separator: ",").map(String.init) ?? []
        let groups = take(" (groups ", upTo: ")")?.split(separator: ",").map(String.init) ?? []
        let child = take(" of ", upTo: nil).flatMap { try? UPN($0) }
        guard rest.isEmpty else { return nil }
        self.init(role: role, school: school, yearGroups: years, registrationGroups: groups, child: child)
    }
}

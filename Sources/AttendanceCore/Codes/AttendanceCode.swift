/// What a code counts as in the statistics.
public enum CodeCategory: String, Sendable, Codable, CaseIterable {
    case present
    /// Approved educational activity: counted as attended (the policy's "classed as a present mark").
    case approvedActivity = "approved_activity"
    case authorised
    case unauthorised
    /// Not a possible session (X, Y, Z, #).
    case notCounted = "not_counted"

    public var countsAsPossible: Bool { self != .notCounted }
    public var countsAsAttended: Bool { self == .present || self == .approvedActivity }
    public var countsAsAbsence: Bool { self == .authorised || self == .unauthorised }
}

/// What a code means for the rules beyond its category: lateness, holidays, illness and so on.
/// The rules look for a meaning, never for a letter, so another code table works unchanged.
public enum CodeMeaning: String, Sendable, Codable, CaseIterable {
    case lateBeforeClose = "late_before_close"
    case lateAfterClose = "late_after_close"
    case holidayAgreed = "holiday_agreed"
    /// An agreed holiday longer than the ordinary kind (Wales's F), beside `holidayAgreed`.
    case extendedHoliday = "extended_holiday"
    case religiousObservance = "religious_observance"
    case holidayNotAgreed = "holiday_not_agreed"
    case noReasonYet = "no_reason_yet"
    case otherUnauthorised = "other_unauthorised"
    case illness
    case medical
    case excluded
    case schoolClosed = "school_closed"
    case notOnRoll = "not_on_roll"
    case notCompulsoryAge = "not_compulsory_age"
}

/// One attendance code, as data.
public struct AttendanceCode: Hashable, Sendable, Codable {
    /// The code as written in the register: `/`, `L`, `N`, or (England 2024) `C1`.
    public let code: String
    /// A stable small integer (1...255) used in compact mark strings. Defaults to the ASCII value of a
    /// one-character code, so a Welsh mark string reads like the CTF `AttendanceMarks` text.
    public let id: UInt8
    public let nameEn: String
    public let nameCy: String
    public let category: CodeCategory
    public let meanings: Set<CodeMeaning>
    /// A form tutor may choose it at the register (others are for the office or the head).
    public let usableAtRegister: Bool
    /// Only a role that may authorise absence (the head teacher) may set it.
    public let requiresAuthorisation: Bool

    public init(
        code: String, id: UInt8, nameEn: String, nameCy: String, category: CodeCategory,
        meanings: Set<CodeMeaning> = [], usableAtRegister: Bool = false, requiresAuthorisation: Bool = false
    ) {
        self.code = code
        self.id = id
        self.nameEn = nameEn
        self.nameCy = nameCy
        self.category = category
        self.meanings = meanings
        self.usableAtRegister = usableAtRegister
        self.requiresAuthorisation = requiresAuthorisation
    }

    public func name(in language: Language) -> String { language == .cy ? nameCy : nameEn }

    public func means(_ meaning: CodeMeaning) -> Bool { meanings.contains(meaning) }

    /// A late arrival, before the register closed (L) or after (U): the one place that says which codes are late.
    public var isLate: Bool { means(.lateBeforeClose) || means(.lateAfterClose) }

    enum CodingKeys: String, CodingKey {
        case code, id, category, meanings
        case nameEn = "name_en"
        case nameCy = "name_cy"
        case usableAtRegister = "usable_at_register"
        case requiresAuthorisation = "requires_authorisation"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        code = try container.decode(String.self, forKey: .code)
        if let explicit = try container.decodeIfPresent(Int.self, forKey: .id) {
            guard (1...255).contains(explicit) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .id, in: container, debugDescription: "code \(code): id must be between 1 and 255")
            }
            id = UInt8(explicit)
        } else if code.utf8.count == 1, let byte = code.utf8.first, byte > 32, byte < 127 {
            id = byte
        } else {
            throw DecodingError.dataCorruptedError(
                forKey: .id, in: container,
                debugDescription: "code \(code): a code longer than one character needs an id")
        }
        nameEn = try container.decode(String.self, forKey: .nameEn)
        nameCy = try container.decode(String.self, forKey: .nameCy)
        category = try container.decode(CodeCategory.self, forKey: .category)
        meanings = try container.decodeIfPresent(Set<CodeMeaning>.self, forKey: .meanings) ?? []
        usableAtRegister = try container.decodeIfPresent(Bool.self, forKey: .usableAtRegister) ?? false
        requiresAuthorisation = try container.decodeIfPresent(Bool.self, forKey: .requiresAuthorisation) ?? false
    }
}

extension AttendanceCode {
    /// Writes the form `init(from:)` reads, with meanings sorted so the output is stable.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(code, forKey: .code)
        try container.encode(Int(id), forKey: .id)
        try container.encode(nameEn, forKey: .nameEn)
        try container.encode(nameCy, forKey: .nameCy)
        try container.encode(category, forKey: .category)
        try container.encode(meanings.map(\.rawValue).sorted(), forKey: .meanings)
        try container.encode(usableAtRegister, forKey: .usableAtRegister)
        try container.encode(requiresAuthorisation, forKey: .requiresAuthorisation)
    }
}

/// The two languages of every page, letter and message.
public enum Language: String, Sendable, Codable, CaseIterable {
    case cy
    case en
}

public enum Sex: String, Sendable, Codable, CaseIterable {
    case female = "F"
    case male = "M"
    /// Neither recorded nor disclosed.
    case unknown = "U"

    public init?(text: some StringProtocol) {
        switch text.uppercased() {
        case "F", "FEMALE": self = .female
        case "M", "MALE": self = .male
        case "U", "", "UNKNOWN", "X": self = .unknown
        default: return nil
        }
    }
}

/// A pupil's details as the school holds them.
public struct Pupil: Hashable, Sendable, Codable {
    public var upn: UPN
    public var legalSurname: String
    public var legalForename: String
    public var preferredSurname: String?
    public var preferredForename: String?
    public var dateOfBirth: LocalDate
    public var sex: Sex
    public var yearGroup: String
    public var registrationGroup: String
    public var freeSchoolMeals: Bool
    public var lookedAfter: Bool
    public var additionalLearningNeeds: Bool

    public init(
        upn: UPN, legalSurname: String, legalForename: String, preferredSurname: String? = nil,
        preferredForename: String? = nil, dateOfBirth: LocalDate, sex: Sex, yearGroup: String,
        registrationGroup: String, freeSchoolMeals: Bool = false, lookedAfter: Bool = false,
        additionalLearningNeeds: Bool = false
    ) {
        self.upn = upn
        self.legalSurname = legalSurname
        self.legalForename = legalForename
        self.preferredSurname = preferredSurname
        self.preferredForename = preferredForename
        self.dateOfBirth = dateOfBirth
        self.sex = sex
        self.yearGroup = yearGroup
        self.registrationGroup = registrationGroup
        self.freeSchoolMeals = freeSchoolMeals
        self.lookedAfter = lookedAfter
        self.additionalLearningNeeds = additionalLearningNeeds
    }

    /// The name registers and letters show: preferred names where given.
    public var displayName: String {
        "\(preferredForename ?? legalForename) \(preferredSurname ?? legalSurname)"
    }
}

/// A spell on a school's roll.
public struct Enrolment: Hashable, Sendable, Codable {
    public var school: LAESTAB
    public var onRollFrom: LocalDate
    public var onRollTo: LocalDate?
    public var leavingReason: String?

    public init(school: LAESTAB, onRollFrom: LocalDate, onRollTo: LocalDate? = nil, leavingReason: String? = nil) {
        self.school = school
        self.onRollFrom = onRollFrom
        self.onRollTo = onRollTo
        self.leavingReason = leavingReason
    }

    public func isOnRoll(on date: LocalDate) -> Bool {
        date >= onRollFrom && (onRollTo.map { date <= $0 } ?? true)
    }

    /// Whether, on `date`, the pupil has not left this school (on its roll, or joining it later): the school
    /// may act for the pupil. Once the enrolment has ended, the school only reads what it recorded.
    public func isCurrent(on date: LocalDate) -> Bool { (onRollTo ?? date) >= date }

    /// The part of a range the pupil was on roll, if any.
    public func clip(_ range: DateRange) -> DateRange? {
        DateRange(max(range.start, onRollFrom), min(range.end, onRollTo ?? range.end))
    }
}

/// The language a contact wants letters in; unknown means both, Welsh first (Welsh Language Standards).
public enum LanguagePreference: String, Sendable, Codable, CaseIterable {
    case cy
    case en
    case both

    public var letterLanguages: [Language] {
        switch self {
        case .cy: return [.cy]
        case .en: return [.en]
        case .both: return [.cy, .en]
        }
    }
}

/// A parent or carer (Education Act 1996 s.576) or another contact for a pupil.
public struct Contact: Hashable, Sendable, Codable {
    public var name: String
    public var relationship: String
    public var parentalResponsibility: Bool
    /// 1 is called first.
    public var priority: Int
    public var phone: String?
    public var mobile: String?
    public var email: String?
    public var address: String?
    public var language: LanguagePreference
    /// Whether they live with the pupil, as the school's records say; nil when not recorded.
    public var livesWithPupil: Bool?

    public init(
        name: String, relationship: String, parentalResponsibility: Bool, priority: Int, phone: String? = nil,
        mobile: String? = nil, email: String? = nil, address: String? = nil, language: LanguagePreference = .both,
        livesWithPupil: Bool? = nil
    ) {
        self.name = name
        self.relationship = relationship
        self.parentalResponsibility = parentalResponsibility
        self.priority = priority
        self.phone = phone
        self.mobile = mobile
        self.email = email
        self.address = address
        self.language = language
        self.livesWithPupil = livesWithPupil
    }

    /// Served with a penalty notice for the child's absence: a parent with parental responsibility who lives with
    /// the child (the regulations); one not recorded either way is taken to, as the school's records stand.
    public var receivesPenaltyNotice: Bool { parentalResponsibility && livesWithPupil != false }
}

import Foundation

/// An authority's attendance procedure as data: the Wrexham 2025 policy is shipped; another authority loads
/// its own file. Every number the procedure and the statistics use comes from here.
///
/// A number is declared once, as a row of `PolicyNumber.all` (its place in the file, the version that added it,
/// its default and the values it may take), with a property here to hold it (`= 0` until the file is read):
/// decoding, encoding and validation follow from the row, and an older file gets the default.
public struct Policy: Sendable, Hashable, Codable {
    public struct Threshold: Sendable, Hashable, Codable {
        public enum Counting: String, Sendable, Codable {
            /// Any absence, authorised or not.
            case absence
            case unauthorised
        }
        public let action: ProcedureAction
        public let sessions: Int
        public let of: Counting
    }

    /// Version 3: the penalty notice's amounts and days, the local limit, service by post and the wait after the
    /// warning letter. Files before version 3 get the defaults (the Wales regulations' amounts and days).
    public struct PenaltyNotice: Sendable, Hashable {
        public internal(set) var earlyPence = 0
        public internal(set) var latePence = 0
        public internal(set) var earlyDays = 0
        public internal(set) var lateDays = 0
        /// The regulations require a local limit on notices to one parent in 12 months.
        public internal(set) var noticesPerParentPer12Months = 0
        /// A posted notice is taken as received this many working days after posting.
        public internal(set) var postReceiptWorkingDays = 0
        /// School days the head waits after the warning letter before requesting (absence must continue). From
        /// version 4 the wait is per criterion (`Casework.penaltyWaitSchoolDays`); this is read only as an older
        /// file's wait for every criterion but holiday.
        public internal(set) var waitAfterWarningSchoolDays = 0

        /// The Wales regulations' amounts and days: what a file before version 3 gets.
        public static var walesDefault: PenaltyNotice { Policy.defaults.penaltyNotice }

        /// A notice's terms from the day it was received.
        public func terms(receivedOn: LocalDate) -> NoticeTerms {
            NoticeTerms(
                receivedOn: receivedOn, earlyPence: earlyPence, latePence: latePence, earlyDays: earlyDays,
                lateDays: lateDays)
        }
    }

    public struct FixedPenalty: Sendable, Hashable {
        public internal(set) var unauthorisedSessions = 0
        public internal(set) var lateAfterCloseSessions = 0
        public internal(set) var unagreedHolidaySessions = 0
    }

    /// Version 4: the casework's numbers the policy leaves to the authority (DOMAIN.md §7 and §8). Files before
    /// version 4 get the defaults DOMAIN.md gives, with the penalty wait of their `penalty_notice` for every
    /// criterion but term-time holiday (0: its absence has already happened).
    public struct Casework: Sendable, Hashable {
        /// School days the head waits after the warning before requesting, for each criterion; with a wait above
        /// 0 absence must also continue after the warning. A case may be requested once any criterion it met
        /// allows it.
        public internal(set) var penaltyWaitSchoolDays: [PenaltyCriterion: Int] = [:]
        /// "Regularly coming into contact with the North Wales Police": days in the term a patrol or the police
        /// saw the pupil during school hours while the absence was unauthorised.
        public internal(set) var policeContactDays = 0
        /// "Failing to engage": panels or meetings missed without notice in the term…
        public internal(set) var missedMeetings = 0
        /// …or contact attempts in the term that reached nobody.
        public internal(set) var unansweredContactAttempts = 0
        /// Sessions late (L or U) in a term that make a pupil persistently late.
        public internal(set) var persistentLatenessSessions = 0
        /// Attempts that reached nobody after which the head of year may close a phone call action with a reason.
        public internal(set) var phoneCallAttempts = 0
        /// Illness and medical sessions this year, as a share of possible sessions, from which a referral to the
        /// Community Paediatrician may be made before Letter 3.
        public internal(set) var paediatricReferralPercent = 0
        /// School days after a school week ends before its registers lock.
        public internal(set) var registerLockGraceSchoolDays = 0
        /// Version 5: school days a pupil on roll may go with no mark at all before the data check names them.
        public internal(set) var noMarksSchoolDays = 0

        static let waitsKey = "penalty_wait_after_warning_school_days"

        /// DOMAIN.md's defaults, with an older file's single wait for every criterion but term-time holiday.
        public static func defaults(penaltyWait: Int) -> Casework {
            var casework = Policy.defaults.casework
            casework.penaltyWaitSchoolDays = Self.waits(penaltyWait)
            return casework
        }

        /// One wait for every criterion but term-time holiday, whose absence has already happened.
        static func waits(_ days: Int) -> [PenaltyCriterion: Int] {
            var waits = Dictionary(uniqueKeysWithValues: PenaltyCriterion.allCases.map { ($0, days) })
            waits[.unagreedHoliday] = 0
            return waits
        }

        /// The wait for a criterion (one the file leaves out waits as long as the longest it gives).
        public func penaltyWait(_ criterion: PenaltyCriterion) -> Int {
            penaltyWaitSchoolDays[criterion] ?? penaltyWaitSchoolDays.values.max() ?? 0
        }
    }

    /// The format's version: 1 for files written before versions were kept (no `version` field). A field added
    /// in a later version has a default, so an authority's older file keeps loading.
    public internal(set) var version = Self.currentVersion
    public internal(set) var name = ""
    public internal(set) var thresholds: [Threshold] = []
    /// Bands in tenths of a percent, applied to the figure as shown (see `SummaryRules`).
    public internal(set) var greenFromTenths = 0
    public internal(set) var amberFromTenths = 0
    public internal(set) var persistentAbsencePercent = 0
    /// An N with no reason this many school days later becomes O.
    public internal(set) var noReasonSchoolDays = 0
    /// Absent with no contact for this many school days: the case may go to the ESW service.
    public internal(set) var noContactSchoolDays = 0
    /// FPN criteria, counted within the current term.
    public internal(set) var fixedPenaltyPerTerm = FixedPenalty()
    /// The most term-time holiday the head may authorise in a school year.
    public internal(set) var holidayLimitSchoolDays = 0
    /// Continuous school days of unauthorised absence the school must report to the local authority.
    public internal(set) var continuousAbsenceSchoolDays = 0
    /// School days before a holiday that count for the pre-holiday pattern, and how many holidays make a pattern.
    public internal(set) var preHolidaySchoolDays = 0
    public internal(set) var preHolidayRepeats = 0
    /// Version 2: the pre-holiday letter is due in the last this-many school days before the next break, so it
    /// reaches parents in the weeks before the holiday it is about.
    public internal(set) var preHolidayNoticeSchoolDays = 0
    /// Version 3: the penalty notice process's numbers.
    public internal(set) var penaltyNotice = PenaltyNotice()
    /// Version 4: the casework's numbers.
    public internal(set) var casework = Casework()

    /// The newest format this program reads.
    public static let currentVersion = 5

    /// Every number at its default, with no name and no thresholds: what a file is read over.
    static let defaults: Policy = {
        var policy = Policy()
        for number in PolicyNumber.all { policy[keyPath: number.path] = number.defaultValue }
        policy.casework.penaltyWaitSchoolDays = Casework.waits(policy.penaltyNotice.waitAfterWarningSchoolDays)
        return policy
    }()

    private init() {}

    public init(from decoder: any Decoder) throws {
        let root = try decoder.container(keyedBy: PolicyNumber.Key.self)
        version = try root.decodeIfPresent(Int.self, forKey: "version") ?? 1
        name = try root.decode(String.self, forKey: "name")
        thresholds = try root.decode([Threshold].self, forKey: "thresholds")
        // A section the file's version added must be there; an older file may leave it out.
        var sections: [PolicyNumber.Section: KeyedDecodingContainer<PolicyNumber.Key>] = [.top: root]
        for section in PolicyNumber.Section.allCases where section != .top {
            let key = PolicyNumber.Key(section.rawValue)
            if version >= section.since || root.contains(key) {
                sections[section] = try root.nestedContainer(keyedBy: PolicyNumber.Key.self, forKey: key)
            }
        }
        for number in PolicyNumber.all {
            let key = PolicyNumber.Key(number.key)
            let section = sections[number.section]
            if version >= number.since, let section {
                self[keyPath: number.path] = try section.decode(Int.self, forKey: key)
            } else {
                self[keyPath: number.path] = try section?.decodeIfPresent(Int.self, forKey: key) ?? number.defaultValue
            }
        }
        if let casework = sections[.casework], version >= 4 || casework.contains(.init(Casework.waitsKey)) {
            let key = PolicyNumber.Key(Casework.waitsKey)
            var waits: [PenaltyCriterion: Int] = [:]
            for (name, days) in try casework.decode([String: Int].self, forKey: key) {
                guard let criterion = PenaltyCriterion(rawValue: name) else {
                    throw DecodingError.dataCorruptedError(
                        forKey: key, in: casework, debugDescription: "no criterion is called \(name)")
                }
                waits[criterion] = days
            }
            self.casework.penaltyWaitSchoolDays = waits
        } else {
            self.casework.penaltyWaitSchoolDays = Casework.waits(penaltyNotice.waitAfterWarningSchoolDays)
        }
    }

    /// The policy as a file of the current version, every number in its section.
    public func encode(to encoder: any Encoder) throws {
        var root = encoder.container(keyedBy: PolicyNumber.Key.self)
        try root.encode(Self.currentVersion, forKey: "version")
        try root.encode(name, forKey: "name")
        try root.encode(thresholds, forKey: "thresholds")
        for section in PolicyNumber.Section.allCases {
            var container =
                section == .top
                ? root : root.nestedContainer(keyedBy: PolicyNumber.Key.self, forKey: .init(section.rawValue))
            for number in PolicyNumber.all where number.section == section {
                try container.encode(self[keyPath: number.path], forKey: .init(number.key))
            }
            if section == .casework {
                try container.encode(
                    Dictionary(
                        uniqueKeysWithValues: casework.penaltyWaitSchoolDays.map { ($0.key.rawValue, $0.value) }),
                    forKey: .init(Casework.waitsKey))
            }
        }
    }

    public var summaryRules: SummaryRules {
        SummaryRules(
            greenFromTenths: greenFromTenths, amberFromTenths: amberFromTenths,
            persistentAbsencePercent: persistentAbsencePercent)
    }

    public struct Invalid: Error, Equatable, CustomStringConvertible {
        public let field: String
        public let problem: String
        public var description: String { "\(field): \(problem)" }
    }

    /// Reads and checks a policy file; a bad one is refused naming the field.
    public init(json: Data) throws {
        do {
            self = try JSONDecoder().decode(Policy.self, from: json)
        } catch let error as DecodingError {
            throw Invalid(field: "policy", problem: CodeTable.describe(error))
        }
        try validate()
    }

    func validate() throws(Invalid) {
        guard (1...Self.currentVersion).contains(version) else {
            throw Invalid(field: "version", problem: "must be from 1 to \(Self.currentVersion)")
        }
        if name.trimmingCharacters(in: .whitespaces).isEmpty { throw Invalid(field: "name", problem: "is empty") }
        var named = Set<ProcedureAction>()
        for (index, threshold) in thresholds.enumerated() {
            guard ThresholdRule.actions.contains(threshold.action) else {
                throw Invalid(
                    field: "thresholds[\(index)].action",
                    problem: "must be one of " + ThresholdRule.actions.map(\.rawValue).joined(separator: ", "))
            }
            guard named.insert(threshold.action).inserted else {
                throw Invalid(field: "thresholds[\(index)].action", problem: "is named twice")
            }
            if threshold.sessions < 1 {
                throw Invalid(field: "thresholds[\(index)].sessions", problem: "must be at least 1")
            }
        }
        for number in PolicyNumber.all where !number.range.contains(self[keyPath: number.path]) {
            throw Invalid(
                field: number.field,
                problem: "must be from \(number.range.lowerBound) to \(number.range.upperBound)\(number.unit)")
        }
        // What one row cannot say: how two numbers stand to each other.
        guard penaltyNotice.latePence >= penaltyNotice.earlyPence else {
            throw Invalid(field: "penalty_notice.late_pence", problem: "must be at least early_pence")
        }
        guard penaltyNotice.lateDays > penaltyNotice.earlyDays else {
            throw Invalid(field: "penalty_notice.late_days", problem: "must be more than early_days")
        }
        for (criterion, days) in casework.penaltyWaitSchoolDays where !(0...190).contains(days) {
            throw Invalid(
                field: "casework.penalty_wait_after_warning_school_days.\(criterion.rawValue)",
                problem: "must be from 0 to 190")
        }
        guard amberFromTenths < greenFromTenths else {
            throw Invalid(field: "green_from_tenths", problem: "must be above amber_from_tenths")
        }
    }

    public static let wrexham2025: Policy = {
        do { return try Policy(json: Data(wrexham2025JSON.utf8)) } catch {
            fatalError("the shipped Wrexham policy is invalid: \(error)")
        }
    }()

    /// The Wrexham Attendance Procedure (2025), DOMAIN.md sections 4, 5 and 7.
    public static let wrexham2025JSON = """
        {
          "version": 5,
          "name": "wrexham-2025",
          "thresholds": [
            {"action": "letter_1", "sessions": 10, "of": "absence"},
            {"action": "letter_2", "sessions": 16, "of": "absence"},
            {"action": "phone_call", "sessions": 22, "of": "absence"},
            {"action": "letter_3", "sessions": 26, "of": "absence"},
            {"action": "attendance_meeting", "sessions": 26, "of": "unauthorised"},
            {"action": "esw_referral", "sessions": 26, "of": "unauthorised"}
          ],
          "green_from_tenths": 970,
          "amber_from_tenths": 920,
          "persistent_absence_percent": 10,
          "no_reason_school_days": 10,
          "no_contact_school_days": 3,
          "fixed_penalty_per_term": {
            "unauthorised_sessions": 10,
            "late_after_close_sessions": 10,
            "unagreed_holiday_sessions": 10
          },
          "holiday_limit_school_days": 10,
          "continuous_absence_school_days": 10,
          "pre_holiday_school_days": 2,
          "pre_holiday_repeats": 2,
          "pre_holiday_notice_school_days": 15,
          "penalty_notice": {
            "early_pence": 6000,
            "late_pence": 12000,
            "early_days": 28,
            "late_days": 42,
            "notices_per_parent_per_12_months": 2,
            "post_receipt_working_days": 2,
            "wait_after_warning_school_days": 10
          },
          "casework": {
            "penalty_wait_after_warning_school_days": {
              "unauthorised": 10,
              "late_after_close": 10,
              "unagreed_holiday": 0,
              "police_contact": 10,
              "non_engagement": 10
            },
            "police_contact_days": 2,
            "missed_meetings": 2,
            "unanswered_contact_attempts": 3,
            "persistent_lateness_sessions": 10,
            "phone_call_attempts": 3,
            "paediatric_referral_percent": 10,
            "register_lock_grace_school_days": 1,
            "no_marks_school_days": 5
          }
        }
        """
}

import Foundation

/// An authority's attendance procedure as data: the Wrexham 2025 policy is shipped; another authority loads
/// its own file. Every number the procedure and the statistics use comes from here.
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
    public struct PenaltyNotice: Sendable, Hashable, Codable {
        public let earlyPence: Int
        public let latePence: Int
        public let earlyDays: Int
        public let lateDays: Int
        /// The regulations require a local limit on notices to one parent in 12 months.
        public let noticesPerParentPer12Months: Int
        /// A posted notice is taken as received this many working days after posting.
        public let postReceiptWorkingDays: Int
        /// School days the head waits after the warning letter before requesting (absence must continue). From
        /// version 4 the wait is per criterion (`Casework.penaltyWaitSchoolDays`); this is read only as an older
        /// file's wait for every criterion but holiday.
        public let waitAfterWarningSchoolDays: Int

        enum CodingKeys: String, CodingKey {
            case earlyPence = "early_pence"
            case latePence = "late_pence"
            case earlyDays = "early_days"
            case lateDays = "late_days"
            case noticesPerParentPer12Months = "notices_per_parent_per_12_months"
            case postReceiptWorkingDays = "post_receipt_working_days"
            case waitAfterWarningSchoolDays = "wait_after_warning_school_days"
        }

        public static let walesDefault = PenaltyNotice(
            earlyPence: 6000, latePence: 12000, earlyDays: 28, lateDays: 42, noticesPerParentPer12Months: 2,
            postReceiptWorkingDays: 2, waitAfterWarningSchoolDays: 10)

        public init(
            earlyPence: Int, latePence: Int, earlyDays: Int, lateDays: Int, noticesPerParentPer12Months: Int,
            postReceiptWorkingDays: Int, waitAfterWarningSchoolDays: Int
        ) {
            self.earlyPence = earlyPence
            self.latePence = latePence
            self.earlyDays = earlyDays
            self.lateDays = lateDays
            self.noticesPerParentPer12Months = noticesPerParentPer12Months
            self.postReceiptWorkingDays = postReceiptWorkingDays
            self.waitAfterWarningSchoolDays = waitAfterWarningSchoolDays
        }

        /// A notice's terms from the day it was received.
        public func terms(receivedOn: LocalDate) -> NoticeTerms {
            NoticeTerms(
                receivedOn: receivedOn, earlyPence: earlyPence, latePence: latePence, earlyDays: earlyDays,
                lateDays: lateDays)
        }
    }

    public struct FixedPenalty: Sendable, Hashable, Codable {
        public let unauthorisedSessions: Int
        public let lateAfterCloseSessions: Int
        public let unagreedHolidaySessions: Int

        enum CodingKeys: String, CodingKey {
            case unauthorisedSessions = "unauthorised_sessions"
            case lateAfterCloseSessions = "late_after_close_sessions"
            case unagreedHolidaySessions = "unagreed_holiday_sessions"
        }
    }

    /// Version 4: the casework's numbers the policy leaves to the authority (DOMAIN.md §7 and §8). Files before
    /// version 4 get the defaults DOMAIN.md gives, with the penalty wait of their `penalty_notice` for every
    /// criterion but term-time holiday (0: its absence has already happened).
    public struct Casework: Sendable, Hashable, Codable {
        /// School days the head waits after the warning before requesting, for each criterion; with a wait above
        /// 0 absence must also continue after the warning. A case may be requested once any criterion it met
        /// allows it.
        public let penaltyWaitSchoolDays: [PenaltyCriterion: Int]
        /// "Regularly coming into contact with the North Wales Police": days in the term a patrol or the police
        /// saw the pupil during school hours while the absence was unauthorised.
        public let policeContactDays: Int
        /// "Failing to engage": panels or meetings missed without notice in the term…
        public let missedMeetings: Int
        /// …or contact attempts in the term that reached nobody.
        public let unansweredContactAttempts: Int
        /// Sessions late (L or U) in a term that make a pupil persistently late.
        public let persistentLatenessSessions: Int
        /// Attempts that reached nobody after which the head of year may close a phone call action with a reason.
        public let phoneCallAttempts: Int
        /// Illness and medical sessions this year, as a share of possible sessions, from which a referral to the
        /// Community Paediatrician may be made before Letter 3.
        public let paediatricReferralPercent: Int
        /// School days after a school week ends before its registers lock.
        public let registerLockGraceSchoolDays: Int

        enum CodingKeys: String, CodingKey {
            case penaltyWaitSchoolDays = "penalty_wait_after_warning_school_days"
            case policeContactDays = "police_contact_days"
            case missedMeetings = "missed_meetings"
            case unansweredContactAttempts = "unanswered_contact_attempts"
            case persistentLatenessSessions = "persistent_lateness_sessions"
            case phoneCallAttempts = "phone_call_attempts"
            case paediatricReferralPercent = "paediatric_referral_percent"
            case registerLockGraceSchoolDays = "register_lock_grace_school_days"
        }

        public init(
            penaltyWaitSchoolDays: [PenaltyCriterion: Int], policeContactDays: Int, missedMeetings: Int,
            unansweredContactAttempts: Int, persistentLatenessSessions: Int, phoneCallAttempts: Int,
            paediatricReferralPercent: Int, registerLockGraceSchoolDays: Int
        ) {
            self.penaltyWaitSchoolDays = penaltyWaitSchoolDays
            self.policeContactDays = policeContactDays
            self.missedMeetings = missedMeetings
            self.unansweredContactAttempts = unansweredContactAttempts
            self.persistentLatenessSessions = persistentLatenessSessions
            self.phoneCallAttempts = phoneCallAttempts
            self.paediatricReferralPercent = paediatricReferralPercent
            self.registerLockGraceSchoolDays = registerLockGraceSchoolDays
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let waits = try c.decode([String: Int].self, forKey: .penaltyWaitSchoolDays)
            var byCriterion: [PenaltyCriterion: Int] = [:]
            for (name, days) in waits {
                guard let criterion = PenaltyCriterion(rawValue: name) else {
                    throw DecodingError.dataCorruptedError(
                        forKey: .penaltyWaitSchoolDays, in: c, debugDescription: "no criterion is called \(name)")
                }
                byCriterion[criterion] = days
            }
            penaltyWaitSchoolDays = byCriterion
            policeContactDays = try c.decode(Int.self, forKey: .policeContactDays)
            missedMeetings = try c.decode(Int.self, forKey: .missedMeetings)
            unansweredContactAttempts = try c.decode(Int.self, forKey: .unansweredContactAttempts)
            persistentLatenessSessions = try c.decode(Int.self, forKey: .persistentLatenessSessions)
            phoneCallAttempts = try c.decode(Int.self, forKey: .phoneCallAttempts)
            paediatricReferralPercent = try c.decode(Int.self, forKey: .paediatricReferralPercent)
            registerLockGraceSchoolDays = try c.decode(Int.self, forKey: .registerLockGraceSchoolDays)
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(
                Dictionary(uniqueKeysWithValues: penaltyWaitSchoolDays.map { ($0.key.rawValue, $0.value) }),
                forKey: .penaltyWaitSchoolDays)
            try c.encode(policeContactDays, forKey: .policeContactDays)
            try c.encode(missedMeetings, forKey: .missedMeetings)
            try c.encode(unansweredContactAttempts, forKey: .unansweredContactAttempts)
            try c.encode(persistentLatenessSessions, forKey: .persistentLatenessSessions)
            try c.encode(phoneCallAttempts, forKey: .phoneCallAttempts)
            try c.encode(paediatricReferralPercent, forKey: .paediatricReferralPercent)
            try c.encode(registerLockGraceSchoolDays, forKey: .registerLockGraceSchoolDays)
        }

        /// DOMAIN.md's defaults, with an older file's single wait for every criterion but term-time holiday.
        public static func defaults(penaltyWait: Int) -> Casework {
            var waits = Dictionary(uniqueKeysWithValues: PenaltyCriterion.allCases.map { ($0, penaltyWait) })
            waits[.unagreedHoliday] = 0
            return Casework(
                penaltyWaitSchoolDays: waits, policeContactDays: 2, missedMeetings: 2, unansweredContactAttempts: 3,
                persistentLatenessSessions: 10, phoneCallAttempts: 3, paediatricReferralPercent: 10,
                registerLockGraceSchoolDays: 1)
        }

        /// The wait for a criterion (one the file leaves out waits as long as the longest it gives).
        public func penaltyWait(_ criterion: PenaltyCriterion) -> Int {
            penaltyWaitSchoolDays[criterion] ?? penaltyWaitSchoolDays.values.max() ?? 0
        }
    }

    /// The format's version: 1 for files written before versions were kept (no `version` field), 2 now. A field
    /// added in a later version has a default, so an authority's older file keeps loading.
    public let version: Int
    public let name: String
    public let thresholds: [Threshold]
    /// Bands in tenths of a percent, applied to the figure as shown (see `SummaryRules`).
    public let greenFromTenths: Int
    public let amberFromTenths: Int
    public let persistentAbsencePercent: Int
    /// An N with no reason this many school days later becomes O.
    public let noReasonSchoolDays: Int
    /// Absent with no contact for this many school days: the case may go to the ESW service.
    public let noContactSchoolDays: Int
    /// FPN criteria, counted within the current term.
    public let fixedPenaltyPerTerm: FixedPenalty
    /// The most term-time holiday the head may authorise in a school year.
    public let holidayLimitSchoolDays: Int
    /// Continuous school days of unauthorised absence the school must report to the local authority.
    public let continuousAbsenceSchoolDays: Int
    /// School days before a holiday that count for the pre-holiday pattern, and how many holidays make a pattern.
    public let preHolidaySchoolDays: Int
    public let preHolidayRepeats: Int
    /// Version 2: the pre-holiday letter is due in the last this-many school days before the next break, so it
    /// reaches parents in the weeks before the holiday it is about.
    public let preHolidayNoticeSchoolDays: Int
    /// Version 3: the penalty notice process's numbers.
    public let penaltyNotice: PenaltyNotice
    /// Version 4: the casework's numbers.
    public let casework: Casework

    /// The newest format this program reads.
    public static let currentVersion = 4

    enum CodingKeys: String, CodingKey {
        case version, name, thresholds
        case greenFromTenths = "green_from_tenths"
        case amberFromTenths = "amber_from_tenths"
        case persistentAbsencePercent = "persistent_absence_percent"
        case noReasonSchoolDays = "no_reason_school_days"
        case noContactSchoolDays = "no_contact_school_days"
        case fixedPenaltyPerTerm = "fixed_penalty_per_term"
        case holidayLimitSchoolDays = "holiday_limit_school_days"
        case continuousAbsenceSchoolDays = "continuous_absence_school_days"
        case preHolidaySchoolDays = "pre_holiday_school_days"
        case preHolidayRepeats = "pre_holiday_repeats"
        case preHolidayNoticeSchoolDays = "pre_holiday_notice_school_days"
        case penaltyNotice = "penalty_notice"
        case casework
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        version = try c.decodeIfPresent(Int.self, forKey: .version) ?? 1
        name = try c.decode(String.self, forKey: .name)
        thresholds = try c.decode([Threshold].self, forKey: .thresholds)
        greenFromTenths = try c.decode(Int.self, forKey: .greenFromTenths)
        amberFromTenths = try c.decode(Int.self, forKey: .amberFromTenths)
        persistentAbsencePercent = try c.decode(Int.self, forKey: .persistentAbsencePercent)
        noReasonSchoolDays = try c.decode(Int.self, forKey: .noReasonSchoolDays)
        noContactSchoolDays = try c.decode(Int.self, forKey: .noContactSchoolDays)
        fixedPenaltyPerTerm = try c.decode(FixedPenalty.self, forKey: .fixedPenaltyPerTerm)
        holidayLimitSchoolDays = try c.decode(Int.self, forKey: .holidayLimitSchoolDays)
        continuousAbsenceSchoolDays = try c.decode(Int.self, forKey: .continuousAbsenceSchoolDays)
        preHolidaySchoolDays = try c.decode(Int.self, forKey: .preHolidaySchoolDays)
        preHolidayRepeats = try c.decode(Int.self, forKey: .preHolidayRepeats)
        // Added in version 2: a version 1 file gets the default; a version 2 file must say.
        if version >= 2 {
            preHolidayNoticeSchoolDays = try c.decode(Int.self, forKey: .preHolidayNoticeSchoolDays)
        } else {
            preHolidayNoticeSchoolDays =
                try c.decodeIfPresent(Int.self, forKey: .preHolidayNoticeSchoolDays) ?? Self.defaultPreHolidayNotice
        }
        if version >= 3 {
            penaltyNotice = try c.decode(PenaltyNotice.self, forKey: .penaltyNotice)
        } else {
            penaltyNotice = try c.decodeIfPresent(PenaltyNotice.self, forKey: .penaltyNotice) ?? .walesDefault
        }
        if version >= 4 {
            casework = try c.decode(Casework.self, forKey: .casework)
        } else {
            casework =
                try c.decodeIfPresent(Casework.self, forKey: .casework)
                ?? .defaults(penaltyWait: penaltyNotice.waitAfterWarningSchoolDays)
        }
    }

    /// Three school weeks: the default for files written before the field existed.
    static let defaultPreHolidayNotice = 15

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
        let positive: [(String, Int)] = [
            ("persistent_absence_percent", persistentAbsencePercent), ("no_reason_school_days", noReasonSchoolDays),
            ("no_contact_school_days", noContactSchoolDays), ("holiday_limit_school_days", holidayLimitSchoolDays),
            ("continuous_absence_school_days", continuousAbsenceSchoolDays),
            ("pre_holiday_school_days", preHolidaySchoolDays), ("pre_holiday_repeats", preHolidayRepeats),
            ("pre_holiday_notice_school_days", preHolidayNoticeSchoolDays),
            ("fixed_penalty_per_term.unauthorised_sessions", fixedPenaltyPerTerm.unauthorisedSessions),
            ("fixed_penalty_per_term.late_after_close_sessions", fixedPenaltyPerTerm.lateAfterCloseSessions),
            ("fixed_penalty_per_term.unagreed_holiday_sessions", fixedPenaltyPerTerm.unagreedHolidaySessions),
            ("penalty_notice.early_pence", penaltyNotice.earlyPence),
            ("penalty_notice.early_days", penaltyNotice.earlyDays),
            ("penalty_notice.notices_per_parent_per_12_months", penaltyNotice.noticesPerParentPer12Months),
            ("casework.police_contact_days", casework.policeContactDays),
            ("casework.missed_meetings", casework.missedMeetings),
            ("casework.unanswered_contact_attempts", casework.unansweredContactAttempts),
            ("casework.persistent_lateness_sessions", casework.persistentLatenessSessions),
            ("casework.phone_call_attempts", casework.phoneCallAttempts),
            ("casework.paediatric_referral_percent", casework.paediatricReferralPercent),
        ]
        for (field, value) in positive where value < 1 { throw Invalid(field: field, problem: "must be at least 1") }
        guard penaltyNotice.latePence >= penaltyNotice.earlyPence else {
            throw Invalid(field: "penalty_notice.late_pence", problem: "must be at least early_pence")
        }
        guard penaltyNotice.lateDays > penaltyNotice.earlyDays else {
            throw Invalid(field: "penalty_notice.late_days", problem: "must be more than early_days")
        }
        guard penaltyNotice.postReceiptWorkingDays >= 0, penaltyNotice.waitAfterWarningSchoolDays >= 0 else {
            throw Invalid(field: "penalty_notice", problem: "days must not be negative")
        }
        guard casework.registerLockGraceSchoolDays >= 0, casework.registerLockGraceSchoolDays <= 190 else {
            throw Invalid(
                field: "casework.register_lock_grace_school_days", problem: "must be from 0 to 190 (a school year)")
        }
        guard casework.paediatricReferralPercent <= 100 else {
            throw Invalid(field: "casework.paediatric_referral_percent", problem: "must be at most 100")
        }
        for (criterion, days) in casework.penaltyWaitSchoolDays where !(0...190).contains(days) {
            throw Invalid(
                field: "casework.penalty_wait_after_warning_school_days.\(criterion.rawValue)",
                problem: "must be from 0 to 190")
        }
        guard (1...1000).contains(amberFromTenths) else {
            throw Invalid(field: "amber_from_tenths", problem: "must be from 1 to 1000 (tenths of a percent)")
        }
        guard amberFromTenths < greenFromTenths, greenFromTenths <= 1000 else {
            throw Invalid(field: "green_from_tenths", problem: "must be above amber_from_tenths and at most 1000")
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
          "version": 4,
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
            "register_lock_grace_school_days": 1
          }
        }
        """
}

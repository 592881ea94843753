/// One number of the policy file, declared once: where it is in the file, the version that added it, its default
/// (the Wrexham policy's value, and what a file older than `since` gets) and the values it may take. `Policy`
/// decodes, encodes and checks every number from this list, so a new one is a row here and a property to hold it.
struct PolicyNumber: Sendable {
    enum Section: String, CaseIterable, Sendable {
        case top = ""
        case fixedPenalty = "fixed_penalty_per_term"
        case penaltyNotice = "penalty_notice"
        case casework

        /// The version that added the section: a file of that version or later must have it.
        var since: Int {
            switch self {
            case .top, .fixedPenalty: 1
            case .penaltyNotice: 3
            case .casework: 4
            }
        }
    }

    /// A key of the file.
    struct Key: CodingKey, ExpressibleByStringLiteral {
        let stringValue: String
        var intValue: Int? { nil }
        init(_ name: String) { stringValue = name }
        init(stringLiteral name: String) { stringValue = name }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    let section: Section
    let key: String
    let since: Int
    let defaultValue: Int
    let range: ClosedRange<Int>
    let path: any WritableKeyPath<Policy, Int> & Sendable
    /// Said after the range when a value is refused: what the number counts in, where it helps.
    var unit = ""

    /// The field as a refusal names it: "casework.police_contact_days".
    var field: String { section == .top ? key : "\(section.rawValue).\(key)" }

    /// School days: a school year has 190.
    static let schoolDays = 0...190
    /// Sessions: two a school day.
    static let sessions = 1...380

    static let all: [PolicyNumber] = [
        .init(
            section: .top, key: "green_from_tenths", since: 1, defaultValue: 970, range: 1...1000,
            path: \.greenFromTenths, unit: " (tenths of a percent)"),
        .init(
            section: .top, key: "amber_from_tenths", since: 1, defaultValue: 920, range: 1...1000,
            path: \.amberFromTenths, unit: " (tenths of a percent)"),
        .init(
            section: .top, key: "persistent_absence_percent", since: 1, defaultValue: 10, range: 1...100,
            path: \.persistentAbsencePercent),
        .init(
            section: .top, key: "no_reason_school_days", since: 1, defaultValue: 10, range: 1...190,
            path: \.noReasonSchoolDays),
        .init(
            section: .top, key: "no_contact_school_days", since: 1, defaultValue: 3, range: 1...190,
            path: \.noContactSchoolDays),
        .init(
            section: .top, key: "holiday_limit_school_days", since: 1, defaultValue: 10, range: 1...190,
            path: \.holidayLimitSchoolDays),
        .init(
            section: .top, key: "continuous_absence_school_days", since: 1, defaultValue: 10, range: 1...190,
            path: \.continuousAbsenceSchoolDays),
        .init(
            section: .top, key: "pre_holiday_school_days", since: 1, defaultValue: 2, range: 1...190,
            path: \.preHolidaySchoolDays),
        .init(
            section: .top, key: "pre_holiday_repeats", since: 1, defaultValue: 2, range: 1...10,
            path: \.preHolidayRepeats),
        // Three school weeks.
        .init(
            section: .top, key: "pre_holiday_notice_school_days", since: 2, defaultValue: 15, range: 1...190,
            path: \.preHolidayNoticeSchoolDays),
        .init(
            section: .fixedPenalty, key: "unauthorised_sessions", since: 1, defaultValue: 10, range: sessions,
            path: \.fixedPenaltyPerTerm.unauthorisedSessions),
        .init(
            section: .fixedPenalty, key: "late_after_close_sessions", since: 1, defaultValue: 10, range: sessions,
            path: \.fixedPenaltyPerTerm.lateAfterCloseSessions),
        .init(
            section: .fixedPenalty, key: "unagreed_holiday_sessions", since: 1, defaultValue: 10, range: sessions,
            path: \.fixedPenaltyPerTerm.unagreedHolidaySessions),
        // The Wales regulations: £60 within 28 days, £120 within 42.
        .init(
            section: .penaltyNotice, key: "early_pence", since: 3, defaultValue: 6000, range: 1...1_000_000,
            path: \.penaltyNotice.earlyPence),
        .init(
            section: .penaltyNotice, key: "late_pence", since: 3, defaultValue: 12000, range: 1...1_000_000,
            path: \.penaltyNotice.latePence),
        .init(
            section: .penaltyNotice, key: "early_days", since: 3, defaultValue: 28, range: 1...365,
            path: \.penaltyNotice.earlyDays),
        .init(
            section: .penaltyNotice, key: "late_days", since: 3, defaultValue: 42, range: 1...365,
            path: \.penaltyNotice.lateDays),
        .init(
            section: .penaltyNotice, key: "notices_per_parent_per_12_months", since: 3, defaultValue: 2,
            range: 1...52, path: \.penaltyNotice.noticesPerParentPer12Months),
        .init(
            section: .penaltyNotice, key: "post_receipt_working_days", since: 3, defaultValue: 2, range: 0...30,
            path: \.penaltyNotice.postReceiptWorkingDays),
        .init(
            section: .penaltyNotice, key: "wait_after_warning_school_days", since: 3, defaultValue: 10,
            range: schoolDays, path: \.penaltyNotice.waitAfterWarningSchoolDays),
        // DOMAIN.md §7 and §8.
        .init(
            section: .casework, key: "police_contact_days", since: 4, defaultValue: 2, range: 1...190,
            path: \.casework.policeContactDays),
        .init(
            section: .casework, key: "missed_meetings", since: 4, defaultValue: 2, range: 1...100,
            path: \.casework.missedMeetings),
        .init(
            section: .casework, key: "unanswered_contact_attempts", since: 4, defaultValue: 3, range: 1...100,
            path: \.casework.unansweredContactAttempts),
        .init(
            section: .casework, key: "persistent_lateness_sessions", since: 4, defaultValue: 10, range: sessions,
            path: \.casework.persistentLatenessSessions),
        .init(
            section: .casework, key: "phone_call_attempts", since: 4, defaultValue: 3, range: 1...100,
            path: \.casework.phoneCallAttempts),
        .init(
            section: .casework, key: "paediatric_referral_percent", since: 4, defaultValue: 10, range: 1...100,
            path: \.casework.paediatricReferralPercent),
        .init(
            section: .casework, key: "register_lock_grace_school_days", since: 4, defaultValue: 1,
            range: schoolDays, path: \.casework.registerLockGraceSchoolDays, unit: " (a school year)"),
        // Issue 34: the data check before any report (a school week).
        .init(
            section: .casework, key: "no_marks_school_days", since: 5, defaultValue: 5, range: 1...190,
            path: \.casework.noMarksSchoolDays),
    ]
}

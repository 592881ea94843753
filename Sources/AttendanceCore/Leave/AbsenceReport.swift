/// A parent's report of an absence, today or coming days: the reason they give proposes a code, which the head
/// or their delegate confirms (the policy: the school decides whether absence is authorised).
public struct AbsenceReport: Sendable, Hashable {
    /// The short list a parent chooses from.
    public enum Reason: String, Sendable, Hashable, Codable, CaseIterable {
        case illness
        case medical
        case religious
        case other

        /// The meaning of the code this reason proposes; nil for "other", which the school reads and decides.
        public var proposedMeaning: CodeMeaning? {
            switch self {
            case .illness: .illness
            case .medical: .medical
            case .religious: .religiousObservance
            case .other: nil
            }
        }
    }

    /// Which sessions of each day.
    public enum Part: String, Sendable, Hashable, Codable, CaseIterable {
        case whole
        case morning
        case afternoon

        public var halves: [SessionHalf] {
            switch self {
            case .whole: [.am, .pm]
            case .morning: [.am]
            case .afternoon: [.pm]
            }
        }
    }

    public let id: Int
    public let upn: UPN
    public let school: LAESTAB
    public let dates: DateRange
    public let part: Part
    public let reason: Reason
    public let note: String
    /// The code the reason proposes, by the school's code table (nil for "other").
    public let proposedCode: String?
    public let reportedBy: String
    public let reportedAt: String
    public let confirmedBy: String?
    /// The code the head or their delegate set.
    public let confirmedCode: String?

    public init(
        id: Int, upn: UPN, school: LAESTAB, dates: DateRange, part: Part, reason: Reason, note: String,
        proposedCode: String?, reportedBy: String, reportedAt: String, confirmedBy: String?, confirmedCode: String?
    ) {
        self.id = id
        self.upn = upn
        self.school = school
        self.dates = dates
        self.part = part
        self.reason = reason
        self.note = note
        self.proposedCode = proposedCode
        self.reportedBy = reportedBy
        self.reportedAt = reportedAt
        self.confirmedBy = confirmedBy
        self.confirmedCode = confirmedCode
    }

    /// Whether the report covers a session.
    public func covers(_ session: SchoolSession) -> Bool {
        dates.contains(session.date) && part.halves.contains(session.half)
    }
}

/// When a parent may report an absence: from today, up to four weeks ahead, on days the school is open.
public enum AbsenceReportRules {
    public enum Problem: Error, Sendable, Hashable {
        /// The first day is before today.
        case beforeToday(LocalDate)
        /// The last day is more than `aheadDays` away.
        case tooFarAhead(LocalDate)
        /// No school day in the days given (a weekend, a holiday): the first of them named.
        case notSchoolDay(LocalDate)
    }

    /// How far ahead a report may reach, in calendar days.
    public static let aheadDays = 28

    public static func check(_ dates: DateRange, today: LocalDate, calendar: SchoolCalendar) throws(Problem) {
        guard dates.start >= today else { throw .beforeToday(dates.start) }
        guard today.days(until: dates.end) <= aheadDays else { throw .tooFarAhead(dates.end) }
        guard !calendar.schoolDays(in: dates).isEmpty else { throw .notSchoolDay(dates.start) }
    }

    /// The school days a parent may choose from: today if the school is open, then the next ones, within the
    /// days a report may reach.
    public static func choices(today: LocalDate, calendar: SchoolCalendar, count: Int = 10) -> [LocalDate] {
        Array(calendar.schoolDays(in: DateRange(ordered: today, today.adding(days: aheadDays))).prefix(count))
    }
}

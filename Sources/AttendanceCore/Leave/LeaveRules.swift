import Foundation

/// The policy's rules for leave in term time, in one place: what a request asks in school days, what the head
/// may agree against the yearly limit, and when a request is an extended absence.
public enum LeaveRules {
    /// Why a request or a decision cannot be kept, by the field at fault.
    public enum Problem: Error, Sendable, Equatable {
        /// The dates are not school days at all.
        case noSchoolDays
        /// The request ends before it starts, or is over a year long.
        case badRange
        /// Agreeing these days would pass the yearly limit, and no exceptional category is recorded.
        case overLimit(agreedBefore: Int, asked: Int, limit: Int)
        /// The agreed days are not within the days asked.
        case outsideRequest
        /// The request was already decided.
        case alreadyDecided
        /// A reason is needed.
        case noReason
        /// Only a request for more than four continuous weeks takes the pupil off the roll.
        case notExtended
        /// Leave is asked before it is taken: the first day is before today.
        case alreadyBegun
        /// "The Head Teacher will remove the child from their school roll if a parent requests … longer than four
        /// continuous weeks, including exceptional circumstances": such a request cannot be agreed.
        case extendedCannotBeAgreed

        /// Its name in a string catalogue.
        public var key: String {
            switch self {
            case .noSchoolDays: "noSchoolDays"
            case .badRange: "badRange"
            case .overLimit: "overLimit"
            case .outsideRequest: "outsideRequest"
            case .alreadyDecided: "alreadyDecided"
            case .noReason: "noReason"
            case .notExtended: "notExtended"
            case .alreadyBegun: "alreadyBegun"
            case .extendedCannotBeAgreed: "extendedCannotBeAgreed"
            }
        }

        /// The field a person must change.
        public var field: String {
            switch self {
            case .noSchoolDays, .badRange, .outsideRequest, .alreadyBegun: "from"
            case .overLimit: "exceptional_category"
            case .alreadyDecided, .notExtended, .extendedCannotBeAgreed: "decision"
            case .noReason: "reason"
            }
        }
    }

    /// A request longer than this many calendar days is an extended absence: the policy removes the pupil from
    /// roll and the parent reapplies to the local authority.
    public static let extendedCalendarDays = 28

    /// The school days a range covers, by the school's calendar.
    public static func schoolDays(_ range: DateRange, calendar: SchoolCalendar) -> [LocalDate] {
        calendar.schoolDays(in: range)
    }

    /// Whether a request is for more than four continuous weeks.
    public static func isExtended(_ range: DateRange) -> Bool {
        range.start.days(until: range.end) + 1 > extendedCalendarDays
    }

    /// Checks a request's dates: they must cover at least one school day, within a year, and (given `today`) not
    /// begin before it: leave is asked before it is taken.
    public static func checkRequest(_ range: DateRange, calendar: SchoolCalendar, today: LocalDate? = nil)
        throws(Problem)
    {
        if let today, range.start < today { throw .alreadyBegun }
        guard range.start.days(until: range.end) < 366 else { throw .badRange }
        guard !schoolDays(range, calendar: calendar).isEmpty else { throw .noSchoolDays }
    }

    /// Checks the head's decision: agreed days lie within those asked, and agreeing more than `limit` school days
    /// in the school year (with those already agreed) needs an exceptional category recorded.
    public static func checkDecision(
        _ kind: LeaveDecision.Kind, agreed: DateRange?, asked: DateRange, category: ExceptionalCategory?,
        reason: String, agreedBefore: Int, limit: Int, calendar: SchoolCalendar
    ) throws(Problem) {
        guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw .noReason }
        if kind == .offRoll && !isExtended(asked) { throw .notExtended }
        if kind == .agreed && isExtended(asked) { throw .extendedCannotBeAgreed }
        guard kind == .agreed else { return }
        guard let agreed, agreed.start >= asked.start, agreed.end <= asked.end else { throw .outsideRequest }
        let days = schoolDays(agreed, calendar: calendar).count
        guard days > 0 else { throw .noSchoolDays }
        if agreedBefore + days > limit && category == nil {
            throw .overLimit(agreedBefore: agreedBefore, asked: days, limit: limit)
        }
    }

    /// What the time of year says about a request, for the head to weigh (the policy names the time of year).
    public enum Season: String, Sendable, CaseIterable {
        /// Within the first four weeks of the school year, when a class settles.
        case startOfYear = "start_of_year"
        /// May or June for a pupil in Years 10 to 13: the examination period.
        case examPeriod = "exam_period"
    }

    public static func seasons(_ range: DateRange, yearGroup: String) -> [Season] {
        var found: [Season] = []
        let firstDay = range.start.academicYear.firstDay
        if firstDay.days(until: range.start) < 28 { found.append(.startOfYear) }
        let examYears: Set<String> = ["10", "11", "12", "13"]
        let length = range.start.days(until: range.end)
        if examYears.contains(yearGroup),
            (0...length).contains(where: { [5, 6].contains(range.start.adding(days: $0).month) })
        {
            found.append(.examPeriod)
        }
        return found
    }

    /// The status a decision gives the request.
    public static func status(of kind: LeaveDecision.Kind, agreed: DateRange?, asked: DateRange) -> LeaveRequest.Status
    {
        switch kind {
        case .refused: .refused
        case .referred: .referred
        case .offRoll: .offRoll
        case .agreed: agreed == asked ? .agreed : .partlyAgreed
        }
    }
}

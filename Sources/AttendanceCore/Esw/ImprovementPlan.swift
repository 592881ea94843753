/// An Attendance Improvement Plan (the policy: six weeks, a partnership between the family, the pupil, the ESW
/// service and the school): its target, what each party will do, a review each week with that week's attendance
/// from the register, and an outcome at the end.
public struct ImprovementPlan: Sendable, Hashable {
    public static let weeks = 6

    public let id: Int
    public let caseID: EswCaseID
    public let start: LocalDate
    /// Attendance to reach, in whole percent.
    public let targetPercent: Int
    public let schoolActions: String
    public let familyActions: String
    public let pupilActions: String
    public let createdBy: String
    public let reviews: [PlanReview]
    public let outcome: PlanOutcome?
    public let nextStep: PlanNextStep?
    /// The plan's six weeks: school weeks by the school's calendar (a week with no school day in it does not count).
    public let weeksDays: [DateRange]

    public init(
        id: Int, caseID: EswCaseID, start: LocalDate, targetPercent: Int, schoolActions: String, familyActions: String,
        pupilActions: String, createdBy: String, reviews: [PlanReview], outcome: PlanOutcome?,
        nextStep: PlanNextStep?, calendar: SchoolCalendar?
    ) {
        weeksDays = Self.schoolWeeks(from: start, calendar: calendar)
        self.id = id
        self.caseID = caseID
        self.start = start
        self.targetPercent = targetPercent
        self.schoolActions = schoolActions
        self.familyActions = familyActions
        self.pupilActions = pupilActions
        self.createdBy = createdBy
        self.reviews = reviews
        self.outcome = outcome
        self.nextStep = nextStep
    }

    /// Six school weeks from `start`: seven days at a time, passing over any seven days without a school day (a
    /// holiday), so that a plan started on 7 December runs to the end of January, not into Christmas. Without a
    /// calendar (or past its end), plain weeks.
    public static func schoolWeeks(from start: LocalDate, calendar: SchoolCalendar?) -> [DateRange] {
        var found: [DateRange] = []
        var from = start
        var skipped = 0
        while found.count < weeks {
            let days = DateRange(ordered: from, from.adding(days: 6))
            if let calendar, calendar.schoolDays(in: days).isEmpty, skipped < 10,
                let next = calendar.schoolDay(after: days.end)
            {
                // A holiday: the next week starts on the next school day.
                skipped += 1
                from = next
                continue
            }
            found.append(days)
            from = from.adding(days: 7)
        }
        return found
    }

    /// The plan's last day: the end of its sixth school week.
    public var end: LocalDate { weeksDays.last?.end ?? start.adding(days: Self.weeks * 7 - 1) }

    /// The days of week `number` (1 to 6).
    public func week(_ number: Int) -> DateRange? {
        guard (1...Self.weeks).contains(number), number <= weeksDays.count else { return nil }
        return weeksDays[number - 1]
    }

    /// Weeks over by `today` and not yet reviewed: what a review may be recorded for.
    public func weeksToReview(today: LocalDate) -> [Int] {
        let reviewed = Set(reviews.map(\.week))
        return (1...Self.weeks).filter { number in
            !reviewed.contains(number) && (week(number).map { $0.end <= today } ?? false)
        }
    }
}

/// A week's review: the week's attendance as the register has it when reviewed, and what was said.
public struct PlanReview: Sendable, Hashable {
    public let week: Int
    public let possible: Int
    public let attended: Int
    public let percent: String
    public let note: String
    public let by: String
    public let at: String

    public init(week: Int, possible: Int, attended: Int, percent: String, note: String, by: String, at: String) {
        self.week = week
        self.possible = possible
        self.attended = attended
        self.percent = percent
        self.note = note
        self.by = by
        self.at = at
    }
}

public enum PlanOutcome: String, Sendable, Hashable, CaseIterable {
    case improved
    case partly
    case notImproved = "not_improved"
}

public enum PlanNextStep: String, Sendable, Hashable, CaseIterable {
    case close, extend, panel, legal
}

extension EswRules {
    /// Why a plan step is refused.
    public enum PlanProblem: Error, Sendable, Hashable {
        /// A plan needs an allocated case, and one open plan at a time.
        case notNow
        /// The target is a whole percent from 1 to 100.
        case badTarget
        /// The week is not over, or is reviewed already, or is not one of the six.
        case notAWeekToReview(Int)
        /// The outcome is recorded once the six weeks are over.
        case notEnded(LocalDate)

        public var key: String {
            switch self {
            case .notNow: "planNotNow"
            case .badTarget: "badTarget"
            case .notAWeekToReview: "notAWeekToReview"
            case .notEnded: "notEnded"
            }
        }
    }

    public static func checkReview(_ plan: ImprovementPlan, week: Int, today: LocalDate) throws(PlanProblem) {
        guard plan.outcome == nil, plan.weeksToReview(today: today).contains(week) else {
            throw .notAWeekToReview(week)
        }
    }

    public static func checkOutcome(_ plan: ImprovementPlan, today: LocalDate) throws(PlanProblem) {
        guard plan.outcome == nil else { throw .notNow }
        guard today >= plan.end else { throw .notEnded(plan.end) }
    }
}

/// The periods a termly report or a reward covers, from the school's calendar: this term (so far), the term
/// before, or the school year so far; each with the period before it (the term before, or the same days a year
/// before), which an improvement is measured from.
public enum ReportPeriod: String, Sendable, Hashable, CaseIterable {
    case term
    case lastTerm = "last-term"
    case year

    /// What the period is a part of: a term, or the school year. A reward is drawn once for each.
    public var span: RewardSpan { self == .year ? .year : .term }

    /// The period rewarded and the one before it; nil when the calendar has no such term (the school's first term
    /// has no last term). Between terms, "this term" is the one that has just ended.
    public func ranges(calendar: SchoolCalendar, today: LocalDate) -> (period: DateRange, earlier: DateRange?)? {
        let started = calendar.terms.filter { $0.range.start <= today }
        func soFar(_ range: DateRange) -> DateRange? { DateRange(range.start, min(range.end, today)) }
        switch self {
        case .term, .lastTerm:
            let back = self == .term ? 1 : 2
            guard started.count >= back, let period = soFar(started[started.count - back].range) else { return nil }
            let earlier = started.count > back ? started[started.count - back - 1].range : nil
            return (period, earlier)
        case .year:
            let period = DateRange.yearToDate(today)
            return (period, DateRange(period.start.adding(days: -364), period.end.adding(days: -364)))
        }
    }
}

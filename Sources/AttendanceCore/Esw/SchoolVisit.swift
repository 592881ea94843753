/// An ESW's visit to a school, where the pupils below 92% are discussed with a senior member of staff (the
/// policy's regular discussions). Kept as recorded: never changed.
public struct SchoolVisit: Sendable, Hashable {
    public let id: Int
    public let school: LAESTAB
    public let on: LocalDate
    /// The ESW who visited (their email).
    public let by: String
    /// The member of staff the pupils were discussed with.
    public let metWith: String
    public let notes: String

    public init(id: Int, school: LAESTAB, on: LocalDate, by: String, metWith: String, notes: String) {
        self.id = id
        self.school = school
        self.on = on
        self.by = by
        self.metWith = metWith
        self.notes = notes
    }
}

/// A pupil on the list for a school visit: their figure for the school year now and, when the school was visited
/// earlier this year, their figure as the register stands to that visit.
public struct VisitListLine: Sendable, Hashable {
    public let pupil: Pupil
    public let now: AttendanceSummary
    public let atLastVisit: AttendanceSummary?

    public init(pupil: Pupil, now: AttendanceSummary, atLastVisit: AttendanceSummary?) {
        self.pupil = pupil
        self.now = now
        self.atLastVisit = atLastVisit
    }

    /// Which way the figure has gone since the last visit.
    public enum Trend: String, Sendable, Hashable, CaseIterable {
        case up, down, same
        /// No figure at the last visit (no visit this year, or nothing to count then).
        case new
    }

    /// The change in tenths of a point since the last visit; nil when there is nothing to compare.
    public var change: Int? {
        guard let then = atLastVisit?.attendanceTenths, let now = now.attendanceTenths else { return nil }
        return now - then
    }

    public var trend: Trend {
        guard let change else { return .new }
        return change > 0 ? .up : change < 0 ? .down : .same
    }
}

public enum SchoolVisitList {
    /// The pupils to discuss: those whose figure for the year is below the ESW line now (the RED band, the same
    /// rule as every band), lowest first, each with their figure at the last visit.
    public static func lines(now: [(Pupil, AttendanceSummary)], atLastVisit: [UPN: AttendanceSummary])
        -> [VisitListLine]
    {
        now.filter { $0.1.band == .red }
            .map { VisitListLine(pupil: $0.0, now: $0.1, atLastVisit: atLastVisit[$0.0.upn]) }
            .sorted {
                ($0.now.attendanceTenths ?? 0, $0.pupil.legalSurname, $0.pupil.upn.value)
                    < ($1.now.attendanceTenths ?? 0, $1.pupil.legalSurname, $1.pupil.upn.value)
            }
    }

    /// The visit the trend is measured from: the latest this school year before the day (a visit recorded today
    /// is the one under way).
    public static func lastVisit(_ visits: [SchoolVisit], before day: LocalDate) -> SchoolVisit? {
        visits.filter { $0.on < day && $0.on >= day.academicYear.firstDay }.max { ($0.on, $0.id) < ($1.on, $1.id) }
    }
}

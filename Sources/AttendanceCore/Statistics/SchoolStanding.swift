/// One school's line on the authority's dashboard: its figure for the period against its target, how many of its
/// pupils are in each band and persistently absent, and whether its latest week went up or down.
public struct SchoolStanding: Sendable, Hashable {
    public let school: School
    /// Pupils with a line in the period (on roll at any time in it).
    public let pupils: Int
    public let summary: AttendanceSummary
    public let target: AttendanceTarget?
    public let bands: [Band: Int]
    public let persistent: Int
    /// The week-by-week figures, in order.
    public let weeks: [AttendanceSummary]

    public init(
        school: School, pupils: [AttendanceSummary], weeks: [AttendanceSummary], target: AttendanceTarget?,
        rules: SummaryRules
    ) {
        self.school = school
        self.pupils = pupils.count
        summary = pupils.reduce(.empty(rules: rules), +)
        self.target = target
        var bands: [Band: Int] = [:]
        for pupil in pupils { if let band = pupil.band { bands[band, default: 0] += 1 } }
        self.bands = bands
        persistent = pupils.filter(\.persistentAbsence).count
        self.weeks = weeks
    }

    /// Persistent absentees in tenths of a percent of the pupils (rounded half up).
    public var persistentTenths: Int? { Tenths.share(persistent, of: pupils) }

    /// The latest week with sessions against the one before it, in tenths of a point (+12 is up 1.2).
    public var trend: Int? {
        let counted = weeks.filter { $0.possible > 0 }
        guard counted.count >= 2 else { return nil }
        return counted[counted.count - 1].change(since: counted[counted.count - 2])
    }

    /// The figure less the target, in tenths of a point (nil without a target or a figure).
    public var gapToTarget: Int? {
        guard let target, let tenths = summary.attendanceTenths else { return nil }
        return tenths - target.tenths
    }
}

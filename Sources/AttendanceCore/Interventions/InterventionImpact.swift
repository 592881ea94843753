/// Whether attendance moved after an intervention (issue 35, point 4): the pupils' attendance over the same number
/// of school weeks before and after it started, with the change, beside the school's target and beside similar
/// pupils without an intervention. Every page and report that shows an impact asks this.
public enum InterventionImpact {
    /// The two spans compared: `weeks` school weeks before the week the intervention started, and as many from its
    /// start. The length is the intervention's (to its end, or to today while it runs), capped by the school weeks
    /// of the year before it began, so both spans have the same number of weeks and stay in one school year.
    public struct Windows: Sendable, Hashable {
        public let weeks: Int
        public let before: DateRange
        public let after: DateRange
    }

    /// Before and after for a set of pupils: their sessions added together (so a pupil with more sessions weighs
    /// more, as in the school's own figure), and the average of each pupil's own change.
    public struct Figures: Sendable, Hashable {
        public let pupils: Int
        public let before: AttendanceSummary
        public let after: AttendanceSummary
        /// The mean of the pupils' changes in tenths of a point, over pupils with both figures; nil when none has.
        public let averageChangeTenths: Int?

        public var changeTenths: Int? { after.change(since: before) }
    }

    /// One intervention's impact: its windows, its pupils' figures, the target, and the comparison group (nil when
    /// fewer than `comparisonMinimum` similar pupils exist, so no one is identifiable and no small group misleads).
    public struct Measured: Sendable, Hashable {
        public let windows: Windows
        public let figures: Figures
        public let targetTenths: Int?
        public let comparison: Figures?

        /// Whether the pupils' attendance since the start is at or above the school's target, exactly.
        public var meetsTarget: Bool? {
            guard let targetTenths, figures.after.possible > 0 else { return nil }
            return figures.after.attended * 1000 >= targetTenths * figures.after.possible
        }
    }

    public static let comparisonMinimum = 10

    /// The windows for an intervention starting on `start` and lasting to `end` (or `today`): nil when it has not
    /// started, or started in the school year's first school week (nothing before it to compare with).
    public static func windows(start: LocalDate, end: LocalDate?, today: LocalDate, calendar: SchoolCalendar)
        -> Windows?
    {
        let year = start.academicYear
        let last = min(end ?? today, today, year.lastDay)
        guard start <= last else { return nil }
        let startWeek = SchoolWeek.of(start).start
        // School weeks: Monday-to-Friday weeks with at least one school day, counted from the start's week.
        func isSchoolWeek(_ monday: LocalDate) -> Bool {
            (0..<5).contains { calendar.isSchoolDay(monday.adding(days: $0)) }
        }
        var length = 0
        var monday = startWeek
        while monday <= last {
            if isSchoolWeek(monday) { length += 1 }
            monday = monday.adding(days: 7)
        }
        var earlier: [LocalDate] = []
        monday = startWeek.adding(days: -7)
        while monday.adding(days: 4) >= year.firstDay, earlier.count < length {
            if isSchoolWeek(monday) { earlier.append(monday) }
            monday = monday.adding(days: -7)
        }
        let weeks = min(length, earlier.count)
        guard weeks > 0, let firstBefore = earlier.last,
            let before = DateRange(max(firstBefore, year.firstDay), startWeek.adding(days: -1))
        else { return nil }
        // The after span ends with the `weeks`-th school week from the start, or today, whichever is first.
        var counted = 0
        var end = startWeek
        monday = startWeek
        while counted < weeks {
            if isSchoolWeek(monday) {
                counted += 1
                end = monday.adding(days: 4)
            }
            monday = monday.adding(days: 7)
        }
        guard let after = DateRange(start, min(end, last)) else { return nil }
        return Windows(weeks: weeks, before: before, after: after)
    }

    /// The figures of these pupils over the two windows.
    public static func figures(
        _ pupils: [RollYear], windows: Windows, table: CodeTable, rules: SummaryRules
    ) -> Figures {
        var before = AttendanceSummary.empty(rules: rules)
        var after = AttendanceSummary.empty(rules: rules)
        var changes: [Int] = []
        for pupil in pupils {
            let then = pupil.summary(in: windows.before, table: table, rules: rules)
            let now = pupil.summary(in: windows.after, table: table, rules: rules)
            before = before + then
            after = after + now
            if let change = now.change(since: then) { changes.append(change) }
        }
        return Figures(
            pupils: pupils.count, before: before, after: after, averageChangeTenths: average(changes))
    }

    /// A mean of tenths rounded half away from zero; nil for none.
    public static func average(_ values: [Int]) -> Int? {
        guard !values.isEmpty else { return nil }
        let sum = values.reduce(0, +)
        let twice = (2 * abs(sum) + values.count) / (2 * values.count)
        return sum < 0 ? -twice : twice
    }

    /// Measures one intervention over the school's roll: its pupils, and beside them the pupils of the same year
    /// group and starting band (their band over the before window) who were in no intervention (`untouched`).
    public static func measure(
        pupils: Set<UPN>, roll: [RollYear], untouched: Set<UPN>, windows: Windows, targetTenths: Int?,
        table: CodeTable, rules: SummaryRules
    ) -> Measured {
        let members = roll.filter { pupils.contains($0.pupil.upn) }
        var profiles = Set<String>()
        for member in members {
            if let band = member.summary(in: windows.before, table: table, rules: rules).band {
                profiles.insert(member.pupil.yearGroup + "|" + band.rawValue)
            }
        }
        let similar = roll.filter { entry in
            guard untouched.contains(entry.pupil.upn), !pupils.contains(entry.pupil.upn),
                let band = entry.summary(in: windows.before, table: table, rules: rules).band
            else { return false }
            return profiles.contains(entry.pupil.yearGroup + "|" + band.rawValue)
        }
        return Measured(
            windows: windows, figures: figures(members, windows: windows, table: table, rules: rules),
            targetTenths: targetTenths,
            comparison: similar.count >= comparisonMinimum
                ? figures(similar, windows: windows, table: table, rules: rules) : nil)
    }
}

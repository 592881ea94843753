/// A group's attendance week by week over a period (a school's or the authority's trend), added up pupil by pupil
/// from the year strings in one pass: each marked session is counted into its week and into the pupil's own
/// figure for the period, through the same class table as every other summary.
public struct WeeklyTally: Sendable {
    /// The school weeks the period touches, Monday to Friday, clipped to the period.
    public let weeks: [DateRange]
    private let firstMonday: LocalDate
    private var counts: [Int]
    private static let classes = SummaryClass.allCases.count

    public init(range: DateRange) {
        firstMonday = SchoolWeek.of(range.start).start
        var weeks: [DateRange] = []
        var monday = firstMonday
        while monday <= range.end {
            if let week = DateRange(max(monday, range.start), min(monday.adding(days: 4), range.end)) {
                weeks.append(week)
            }
            monday = monday.adding(days: 7)
        }
        self.weeks = weeks
        counts = Array(repeating: 0, count: weeks.count * Self.classes)
    }

    /// Adds a pupil's marks over part of the period (the days they were on roll), and returns the pupil's figure
    /// for that part.
    @discardableResult
    public mutating func add(_ marks: YearMarks, in range: DateRange, table: CodeTable, rules: SummaryRules)
        -> AttendanceSummary
    {
        var own = Array(repeating: 0, count: Self.classes)
        guard let slots = marks.slots(in: range) else { return AttendanceSummary(counts: own, rules: rules) }
        let classes = table.classByID
        let offset = firstMonday.days(until: marks.academicYear.firstDay)
        let weekCount = weeks.count
        marks.bytes.withUnsafeBufferPointer { bytes in
            for slot in slots {
                let byte = bytes[slot]
                guard byte != 0 else { continue }
                let summaryClass = Int(classes[Int(byte)].rawValue)
                own[summaryClass] += 1
                let week = (offset + slot / 2) / 7
                if week >= 0 && week < weekCount { counts[week * Self.classes + summaryClass] += 1 }
            }
        }
        return AttendanceSummary(counts: own, rules: rules)
    }

    /// Each week's figure, in order.
    public func summaries(rules: SummaryRules) -> [AttendanceSummary] {
        weeks.indices.map {
            AttendanceSummary(counts: Array(counts[$0 * Self.classes..<($0 + 1) * Self.classes]), rules: rules)
        }
    }

    /// Two tallies of the same period added (schools into the authority).
    public static func + (lhs: WeeklyTally, rhs: WeeklyTally) -> WeeklyTally {
        var sum = lhs
        for index in sum.counts.indices where index < rhs.counts.count { sum.counts[index] += rhs.counts[index] }
        return sum
    }
}

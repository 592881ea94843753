import AttendanceCore

/// A synthetic authority at a given scale for the benchmark: schools of realistic sizes (one secondary of
/// 1,500 whenever there are that many pupils, other secondaries of 700–1,300, primaries of 90–420) and one full
/// school year (190 days, 380 sessions) of marks with the demo's absence patterns. Deterministic for a seed.
/// Schools are made one at a time so that a national run never holds every mark at once.
public struct BenchAuthority: Sendable {
    /// The year whose marks are made; the next year's terms are in the calendar for registers taken live.
    public static let year = AcademicYear(startYear: 2025)
    /// Marks are made for every school day before this: the whole year (its last day is in August).
    public static var until: LocalDate { year.lastDay }

    public let pupils: Int
    public let seed: UInt64
    public let plans: [DemoAuthority.SchoolPlan]
    public let termDates: [CalendarEntry]

    public init(pupils: Int, seed: UInt64 = 1) {
        self.pupils = pupils
        self.seed = seed
        termDates = [Self.year, Self.year.next].flatMap(WelshTermDates.entries(for:))
        var random = SplitMix64(seed: seed ^ 0x9E37_79B9)
        var plans: [DemoAuthority.SchoolPlan] = []
        var left = pupils
        if left >= 1500 {
            plans.append(.init(secondary: true, pupils: 1500, previousYear: false))
            left -= 1500
        }
        var secondaryLeft = left * 45 / 100
        var primaryLeft = left - secondaryLeft
        while secondaryLeft >= 700 {
            let size = min(secondaryLeft, 700 + Int(random.next() % 601))
            plans.append(.init(secondary: true, pupils: size, previousYear: false))
            secondaryLeft -= size
        }
        primaryLeft += secondaryLeft
        while primaryLeft > 0 {
            let size = min(primaryLeft, 90 + Int(random.next() % 331))
            plans.append(.init(secondary: false, pupils: max(size, 6), previousYear: false))
            primaryLeft -= size
        }
        self.plans = plans
    }

    /// School number `index`: its pupils, contacts and a year of marks.
    public func school(_ index: Int) -> DemoAuthority.SchoolData {
        var random = SplitMix64(seed: seed &+ UInt64(index) &* 0x1000_0001)
        return DemoAuthority.makeSchool(
            index: index, plan: plans[index], until: Self.until, years: [Self.year, Self.year.next],
            termDates: termDates, random: &random)
    }
}

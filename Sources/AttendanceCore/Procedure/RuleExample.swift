/// A pupil's year on which a rule calls for its actions, built on any calendar from the policy's own numbers.
/// Every rule gives one (`ProcedureRule.example`), so the test that compares the engine with the plain reading
/// of the policy starts at each rule's line and varies it there (days dropped, codes changed, the day moved),
/// and a new rule is tested at its edges without anyone tuning a random generator to reach it.
struct RuleExample: Sendable {
    /// The calendar the example is built on and the school days of its year, in order: the example counts days
    /// in them.
    let calendar: SchoolCalendar
    let year: AcademicYear
    let days: [LocalDate]
    let policy: Policy
    /// Codes by session, as a register would have them (every other school day up to `asOf` is present).
    private(set) var marks: [SchoolSession: String] = [:]
    var asOf: LocalDate
    var letter3Sent: LocalDate?
    var contacted: Set<LocalDate> = []
    var evidence: PenaltyEvidence = .none
    /// Actions already recorded as the example needs them (the legal review reads a referral made before).
    var recorded: [RecordedAction] = []

    /// An example on the year's school days, as of its last school day, with nothing marked but presence.
    init?(calendar: SchoolCalendar, year: AcademicYear, policy: Policy) {
        let days = calendar.schoolDays(in: year.range)
        guard let last = days.last else { return nil }
        self.calendar = calendar
        self.year = year
        self.days = days
        self.policy = policy
        asOf = last
    }

    /// The code in both sessions of school days `range` (counted from the year's first school day).
    mutating func mark(_ code: String, days range: Range<Int>) {
        for index in range where days.indices.contains(index) { mark(code, on: days[index]) }
    }

    mutating func mark(_ code: String, on day: LocalDate, halves: [SessionHalf] = [.am, .pm]) {
        for half in halves { marks[SchoolSession(day, half)] = code }
    }

    /// The day to run on: school day `index` of the year.
    mutating func runOn(schoolDay index: Int) {
        asOf = days[min(max(0, index), days.count - 1)]
    }

    /// The school day `index` of the year.
    func day(_ index: Int) -> LocalDate { days[min(max(0, index), days.count - 1)] }

    /// The variations the equivalence test makes near the line: a mark taken away, or changed.
    mutating func unmark(_ session: SchoolSession) { marks[session] = nil }
    mutating func remark(_ session: SchoolSession, _ code: String) { marks[session] = code }
}

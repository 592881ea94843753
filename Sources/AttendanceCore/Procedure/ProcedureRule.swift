/// One rule of the procedure: the actions it may call for and what of them is due for one pupil. The rules are
/// listed once, in order, in `ProcedureEngine.rules`; a new rule is a new action (with its period, which gives
/// its key and when it may be withdrawn), one rule value in that list, and its words in the catalogue.
protocol ProcedureRule: Sendable {
    /// The actions this rule may call for. Every action belongs to exactly one rule.
    var actions: [ProcedureAction] { get }
    /// What is due for the pupil, given the one pass over their year and what the rules listed before this
    /// one found (a rule may build on another's finding, as the legal review does on the penalty flag).
    func due(_ pupil: PupilYear, found: [DueAction]) -> [DueAction]
}

/// What one pass over a pupil's year of marks found, and what else the rules need to know of the pupil: the
/// input every rule reads. Slots are session offsets from the year's first day (two a day).
struct PupilYear {
    let engine: ProcedureEngine
    let year: AcademicYear
    let bytes: [UInt8]
    /// The first slot after the day: marks after it are not counted.
    let limit: Int
    let days: ProcedureEngine.Days
    /// This school year's recorded actions (an earlier year's never count).
    let recorded: [RecordedAction]
    let letter3Sent: LocalDate?
    let contacted: Set<LocalDate>
    /// Days a penalty notice request for the pupil was declined.
    let penaltyDeclined: [LocalDate]

    /// Absences of every kind, unauthorised absences, Ns, and unexplained or unauthorised absence that is not
    /// lateness, each as slots in order.
    private(set) var absences: [Int] = []
    private(set) var unauthorised: [Int] = []
    private(set) var noReason: [Int] = []
    private(set) var unexplainedOrUnauthorised: [Int] = []
    /// Sessions in each summary class, indexed by `SummaryClass.rawValue`.
    private(set) var counts: [Int]
    private(set) var firstMarked: Int?
    /// The Ns past the policy's days: this run turns them into O, and the other rules count them as O already,
    /// so a second run finds nothing new.
    private(set) var converting: [Int] = []

    var policy: Policy { engine.policy }
    var asOf: LocalDate { days.asOf }

    init(
        engine: ProcedureEngine, marks: YearMarks, days: ProcedureEngine.Days, recorded: [RecordedAction],
        letter3Sent: LocalDate?, contacted: Set<LocalDate>, penaltyDeclined: [LocalDate] = []
    ) {
        self.engine = engine
        year = marks.academicYear
        bytes = marks.bytes
        limit = days.slotLimit(bytes.count)
        self.days = days
        self.recorded = recorded
        self.letter3Sent = letter3Sent
        self.contacted = contacted
        self.penaltyDeclined = penaltyDeclined
        counts = Array(repeating: 0, count: SummaryClass.allCases.count)
        typealias Flag = ProcedureEngine.Flag
        for slot in 0..<limit {
            let id = bytes[slot]
            guard id != 0 else { continue }
            let flags = engine.flagsByID[Int(id)]
            guard flags & Flag.known != 0 else { continue }
            if firstMarked == nil { firstMarked = slot }
            counts[Int(engine.classByID[Int(id)].rawValue)] += 1
            if flags & Flag.absence != 0 { absences.append(slot) }
            if flags & Flag.unauthorised != 0 { unauthorised.append(slot) }
            if flags & Flag.noReason != 0 { noReason.append(slot) }
            if flags & Flag.unauthorisedNotLate != 0 { unexplainedOrUnauthorised.append(slot) }
        }
        converting = noReason.filter { days.schoolDays(afterSlot: $0) >= engine.policy.noReasonSchoolDays }
    }

    func session(_ slot: Int) -> SchoolSession { days.session(slot) }

    /// The code id's flags (see `ProcedureEngine.Flag`).
    func flags(_ slot: Int) -> UInt8 { engine.flagsByID[Int(bytes[slot])] }
}

/// One rule of the procedure: the actions it may call for and what of them is due for one pupil. The rules are
/// listed once, in order, in `ProcedureAction.rules`; a new rule is a new action (with its period, which gives
/// its key and when it may be withdrawn), one rule value in that list, and its words in the catalogue.
protocol ProcedureRule: Sendable {
    /// The actions this rule may call for. Every action belongs to exactly one rule.
    var actions: [ProcedureAction] { get }
    /// What is due for the pupil, given the one pass over their year and what the rules listed before this
    /// one found (a rule may build on another's finding, as the legal review does on the penalty flag).
    func due(_ pupil: PupilYear, found: [DueAction]) -> [DueAction]
    /// The kinds of code the rule reads beyond the engine's flags (`CodeKind`): made into tables once.
    var codeKinds: [CodeKind] { get }
    /// A year on which the rule calls for every one of its actions, built on `base` (present every school day)
    /// from the policy's numbers: the equivalence test starts there and varies it.
    func example(_ base: RuleExample) -> RuleExample
}

extension ProcedureRule {
    var codeKinds: [CodeKind] { [] }
}

/// What one pass over a pupil's year of marks found, and what else the rules need to know of the pupil: the
/// input every rule reads. Slots are session offsets from the year's first day (two a day). A class, so that
/// each rule is handed the one pass rather than a copy of its arrays.
final class PupilYear {
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
    /// Police contacts and missed engagement, for the penalty criteria beyond the register.
    let penaltyEvidence: PenaltyEvidence

    /// Absences of every kind, unauthorised absences, Ns, and unexplained or unauthorised absence that is not
    /// lateness, each as slots in order.
    let absences: [Int]
    let unauthorised: [Int]
    let noReason: [Int]
    let unexplainedOrUnauthorised: [Int]
    /// Sessions in each summary class, indexed by `SummaryClass.rawValue`.
    let counts: [Int]
    let firstMarked: Int?
    /// The Ns past the policy's days: this run turns them into O, and the other rules count them as O already,
    /// so a second run finds nothing new.
    let converting: [Int]
    /// Sessions this year that a penalty notice's criteria could count (unauthorised for a penalty notice, late
    /// after close, holiday not agreed): no term can count more, so a rule can pass over a pupil below them all.
    let penaltyCandidates: (unauthorised: Int, late: Int, holiday: Int)

    var policy: Policy { engine.policy }
    var asOf: LocalDate { days.asOf }

    init(
        engine: ProcedureEngine, marks: YearMarks, days: ProcedureEngine.Days, recorded: [RecordedAction],
        letter3Sent: LocalDate?, contacted: Set<LocalDate>, penaltyDeclined: [LocalDate] = [],
        penaltyEvidence: PenaltyEvidence = .none
    ) {
        self.engine = engine
        year = marks.academicYear
        bytes = marks.bytes
        let limit = days.slotLimit(bytes.count)
        self.limit = limit
        self.days = days
        self.recorded = recorded
        self.letter3Sent = letter3Sent
        self.contacted = contacted
        self.penaltyDeclined = penaltyDeclined
        self.penaltyEvidence = penaltyEvidence
        let scan = Self.scan(bytes, limit: limit, engine: engine)
        absences = scan.absences
        unauthorised = scan.unauthorised
        noReason = scan.noReason
        unexplainedOrUnauthorised = scan.unexplained
        counts = scan.counts
        firstMarked = scan.firstMarked
        let converting = noReason.filter { days.schoolDays(afterSlot: $0) >= engine.policy.noReasonSchoolDays }
        self.converting = converting
        penaltyCandidates = (scan.penalty + converting.count, scan.late, scan.holiday)
    }

    /// The one pass over a pupil's marks up to `limit`. It runs for every session of every pupil, and the codes
    /// follow no pattern a processor can guess, so it has no branch on them: each slot is written at the end of
    /// every list, and the list grows by one where the code's flag is set (a flag is never set for an id that
    /// is no code). What is only counted is counted by code id and added up by class afterwards. The tables are
    /// read without bounds checks: every index is a byte and every table 256 long.
    private static func scan(_ bytes: [UInt8], limit: Int, engine: ProcedureEngine) -> (
        absences: [Int], unauthorised: [Int], noReason: [Int], unexplained: [Int], counts: [Int], firstMarked: Int?,
        penalty: Int, late: Int, holiday: Int
    ) {
        typealias Flag = ProcedureEngine.Flag
        var counts = [Int](repeating: 0, count: SummaryClass.allCases.count)
        guard limit > 0 else { return ([], [], [], [], counts, nil, 0, 0, 0) }
        let lists = UnsafeMutablePointer<Int>.allocate(capacity: 4 * limit)
        defer { lists.deallocate() }
        let byID = UnsafeMutablePointer<Int>.allocate(capacity: 256)
        defer { byID.deallocate() }
        byID.initialize(repeating: 0, count: 256)
        var found = (absences: 0, unauthorised: 0, noReason: 0, unexplained: 0)
        var firstMarked: Int?
        bytes.withUnsafeBufferPointer { marks in
            engine.flagsByID.withUnsafeBufferPointer { flagTable in
                let absences = lists
                let unauthorised = lists + limit
                let noReason = lists + 2 * limit
                let unexplained = lists + 3 * limit
                var (a, u, n, x) = (0, 0, 0, 0)
                for slot in 0..<limit {
                    let id = Int(marks[slot])
                    let flags = Int(flagTable[id])
                    absences[a] = slot
                    a &+= (flags >> 1) & 1
                    unauthorised[u] = slot
                    u &+= (flags >> 2) & 1
                    unexplained[x] = slot
                    x &+= (flags >> 3) & 1
                    noReason[n] = slot
                    n &+= (flags >> 5) & 1
                    byID[id] &+= 1
                }
                found = (a, u, n, x)
                firstMarked = (0..<limit).first { flagTable[Int(marks[$0])] & Flag.known != 0 }
            }
        }
        var penalty = 0
        var late = 0
        var holiday = 0
        let penaltyUnauthorised = engine.table(PenaltyNoticeRule.unauthorised)
        for id in 1..<256 where byID[id] > 0 && engine.flagsByID[id] & Flag.known != 0 {
            let flags = engine.flagsByID[id]
            counts[Int(engine.classIndexByID[id])] += byID[id]
            if penaltyUnauthorised[id] { penalty += byID[id] }
            if flags & Flag.lateAfterClose != 0 { late += byID[id] }
            if flags & Flag.holidayNotAgreed != 0 { holiday += byID[id] }
        }
        func list(_ index: Int, _ count: Int) -> [Int] {
            Array(UnsafeBufferPointer(start: lists + index * limit, count: count))
        }
        return (
            list(0, found.absences), list(1, found.unauthorised), list(2, found.noReason),
            list(3, found.unexplained), counts, firstMarked, penalty, late, holiday
        )
    }

    func session(_ slot: Int) -> SchoolSession { days.session(slot) }

    /// The slots of a part of the year (a term, or the part of it that counts) up to the day.
    func slots(of range: DateRange) -> Range<Int> { Self.slots(of: range, year: year, limit: limit) }

    static func slots(of range: DateRange, year: AcademicYear, limit: Int) -> Range<Int> {
        let first = max(0, year.firstDay.days(until: range.start) * 2)
        let last = min(limit, (year.firstDay.days(until: range.end) + 1) * 2)
        return first < last ? first..<last : first..<first
    }

    /// The code id's flags (see `ProcedureEngine.Flag`).
    func flags(_ slot: Int) -> UInt8 { engine.flagsByID[Int(bytes[slot])] }
}

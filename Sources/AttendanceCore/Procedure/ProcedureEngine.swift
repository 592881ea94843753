/// The Wrexham Attendance Procedure as a pure function: a pupil's marks for the school year, the calendar, the
/// policy and what is already recorded in, the actions now due out. Deterministic: the same input gives the
/// same output, and an action already recorded is never due again (unless it was withdrawn and the line is
/// crossed again).
public struct ProcedureEngine: Sendable {
    /// Everything the engine holds, in one object: a run hands the engine to every pupil's pass, and a copy of a
    /// struct of arrays costs a count on each of them.
    private final class Tables: Sendable {
        let policy: Policy
        let codes: CodeTable
        let flagsByID: [UInt8]
        let classIndexByID: [UInt8]
        /// Each rule's code kinds as tables by code id, by the kind's name.
        let kinds: [String: [Bool]]

        init(policy: Policy, codes: CodeTable) {
            self.policy = policy
            self.codes = codes
            var flags = [UInt8](repeating: 0, count: 256)
            for code in codes.codes {
                var value = Flag.known
                if code.category.countsAsAbsence { value |= Flag.absence }
                if code.category == .unauthorised { value |= Flag.unauthorised }
                if code.category == .unauthorised && !code.means(.lateAfterClose) {
                    value |= Flag.unauthorisedNotLate
                }
                if code.means(.lateAfterClose) { value |= Flag.lateAfterClose }
                if code.means(.noReasonYet) { value |= Flag.noReason }
                if code.means(.holidayNotAgreed) { value |= Flag.holidayNotAgreed }
                if code.means(.illness) || code.means(.medical) { value |= Flag.illnessOrMedical }
                flags[Int(code.id)] = value
            }
            // 0 is "no mark" in a year string, whatever a table says.
            flags[0] = 0
            flagsByID = flags
            classIndexByID = codes.classByID.map(\.rawValue)
            var kinds: [String: [Bool]] = [:]
            for kind in ProcedureEngine.rules.flatMap(\.codeKinds) {
                precondition(kinds[kind.name] == nil, "two code kinds are called \(kind.name)")
                kinds[kind.name] = kind.table(codes)
            }
            self.kinds = kinds
        }
    }

    private let tables: Tables

    public var policy: Policy { tables.policy }
    public var codes: CodeTable { tables.codes }
    /// What each code id means to the rules, worked out once (see `Flag`).
    var flagsByID: [UInt8] { tables.flagsByID }
    /// The same as indexes into a tally of the classes (`SummaryClass.rawValue`).
    var classIndexByID: [UInt8] { tables.classIndexByID }
    /// Whether each code id is of the kind: a rule's own reading of the codes (the flag byte's bits are all used).
    /// A kind no rule declares is worked out on each call.
    func table(_ kind: CodeKind) -> [Bool] { tables.kinds[kind.name] ?? kind.table(codes) }

    public init(policy: Policy, codes: CodeTable) {
        tables = Tables(policy: policy, codes: codes)
    }

    enum Flag {
        static let known: UInt8 = 1
        static let absence: UInt8 = 2
        static let unauthorised: UInt8 = 4
        static let unauthorisedNotLate: UInt8 = 8
        static let lateAfterClose: UInt8 = 16
        static let noReason: UInt8 = 32
        static let holidayNotAgreed: UInt8 = 64
        static let illnessOrMedical: UInt8 = 128
    }

    public struct Outcome: Sendable, Hashable {
        /// Everything due as of the day, recorded or not.
        public let due: [DueAction]
        /// Due and not yet recorded: what a run records.
        public let new: [DueAction]
        /// Recorded, still pending, and no longer due (a correction took the pupil back under the line).
        public let withdraw: [RecordedAction]
    }

    /// - Parameters:
    ///   - recorded: this school year's recorded actions for the pupil (an earlier year's never count).
    ///   - letter3Sent: when Letter 3 was carried out, if it was: medical evidence is needed after it.
    ///   - compulsoryAge: whether the pupil is of compulsory school age on the day: only then can the parents
    ///     face a penalty notice, legal action or an ESW referral for the child's absence.
    ///   - contacted: days on which the school reached a parent or recorded a reason for the pupil's absence.
    ///   - penaltyDeclined: days the Education Lead declined a penalty notice request for the pupil: in a term
    ///     with one, only sessions after the latest count towards a new flag (`PenaltyRules.countsFrom`).
    ///   - penaltyEvidence: police contacts and missed engagement, for the penalty criteria beyond the register.
    public func run(
        marks: YearMarks, calendar: SchoolCalendar, asOf: LocalDate, recorded: [RecordedAction],
        letter3Sent: LocalDate? = nil, compulsoryAge: Bool = true, contacted: Set<LocalDate> = [],
        penaltyDeclined: [LocalDate] = [], penaltyEvidence: PenaltyEvidence = .none
    ) -> Outcome {
        run(
            marks: marks, days: Days(calendar: calendar, year: marks.academicYear, asOf: asOf, policy: policy),
            recorded: recorded, letter3Sent: letter3Sent, compulsoryAge: compulsoryAge, contacted: contacted,
            penaltyDeclined: penaltyDeclined, penaltyEvidence: penaltyEvidence)
    }

    /// Actions that only concern a pupil of compulsory school age.
    public static let compulsoryAgeOnly: Set<ProcedureAction> = [.eswReferral, .fpnEligible, .legalActionReview]

    /// The rules, in the order they run (declared beside the actions they call for, `ProcedureAction.rules`).
    static var rules: [any ProcedureRule] { ProcedureAction.rules }

    /// The same, with the calendar worked out once for every pupil of a school (a run over an authority).
    public func run(
        marks: YearMarks, days: Days, recorded: [RecordedAction], letter3Sent: LocalDate? = nil,
        compulsoryAge: Bool = true, contacted: Set<LocalDate> = [], penaltyDeclined: [LocalDate] = [],
        penaltyEvidence: PenaltyEvidence = .none
    ) -> Outcome {
        let pupil = PupilYear(
            engine: self, marks: marks, days: days, recorded: recorded, letter3Sent: letter3Sent,
            contacted: contacted, penaltyDeclined: penaltyDeclined, penaltyEvidence: penaltyEvidence)
        var due: [DueAction] = []
        for rule in Self.rules {
            let found = rule.due(pupil, found: due)
            guard !found.isEmpty else { continue }
            due += compulsoryAge ? found : found.filter { !Self.compulsoryAgeOnly.contains($0.action) }
        }
        // Nothing recorded yet: everything due is new and nothing can be withdrawn.
        guard !recorded.isEmpty else { return Outcome(due: due, new: due, withdraw: []) }
        // Compared as values: no key's text is made here.
        let live = Set(recorded.filter { $0.status != .withdrawn }.map(\.dueKey))
        let dueKeys = Set(due.map(\.dueKey))
        let withdraw = recorded.filter { action in
            action.status == .pending && !dueKeys.contains(action.dueKey)
                && action.action.mayWithdraw(key: action.key, asOf: days.asOf, term: days.term?.range)
        }
        return Outcome(due: due, new: due.filter { !live.contains($0.dueKey) }, withdraw: withdraw)
    }

    /// A term's figures for a penalty notice warning: each criterion's count this term, and which are met, by the
    /// same rule the procedure flags with. Nil outside a term.
    public func penaltyTerm(
        marks: YearMarks, calendar: SchoolCalendar, asOf: LocalDate, penaltyDeclined: [LocalDate] = [],
        evidence: PenaltyEvidence = .none
    ) -> PenaltyTerm? {
        let days = Days(calendar: calendar, year: marks.academicYear, asOf: asOf, policy: policy)
        guard let term = days.term,
            let counting = PenaltyNoticeRule.counting(term.range, declined: penaltyDeclined),
            let range = DateRange(counting.start, min(counting.end, max(counting.start, asOf)))
        else { return nil }
        let year = marks.academicYear
        let criteria = PenaltyNoticeRule.criteria(
            engine: self, bytes: marks.bytes, limit: days.slotLimit(marks.bytes.count), term: counting, year: year,
            converting: [], evidence: evidence, asOf: asOf)
        var counts = Dictionary(uniqueKeysWithValues: criteria.map { ($0.basis, $0.count) })
        for criterion in criteria { counts.merge(criterion.parts) { $1 } }
        let met = criteria.filter(\.isMet).map(\.basis)
        var figures = PenaltyTerm(
            range: range, counts: counts, met: met,
            sessions: Dictionary(
                uniqueKeysWithValues: criteria.map { criterion in
                    (criterion.basis, criterion.found.map { SchoolSession(academicYear: year, slot: $0) })
                }))
        figures.waitsForFurtherAbsence =
            met.isEmpty
            || met.compactMap(PenaltyCriterion.init(rawValue:)).allSatisfy { policy.casework.penaltyWait($0) > 0 }
        return figures
    }
}

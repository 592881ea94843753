import Testing

@testable import AttendanceCore

/// The fast engine (slot by slot, calendar worked out once per run) must give exactly what the plain reading
/// of the policy gives. Each rule gives a year on which it calls for its actions (`ProcedureRule.example`); the
/// test starts there and varies it near the rule's line (marks dropped or changed, the day moved, Letter 3,
/// contacts and what is recorded varied, two rules' years laid over each other), so a new rule is compared at
/// its edges as soon as it gives its example.
@Suite struct ProcedureEngineEquivalenceTests {
    let fast = ProcedureEngine(policy: .wrexham2025, codes: wales)
    let plain = ReferenceProcedureEngine(policy: .wrexham2025, codes: wales)
    let base = RuleExample(calendar: autumn2025, year: AcademicYear(startYear: 2025), policy: .wrexham2025)!
    /// Codes a variation may put in place of one of an example's.
    let codes = ["/", "\\", "L", "U", "I", "M", "O", "G", "N", "H", "C", "B", "X", "#", "V", "E"]

    @Test func everyActionIsCalledForByItsRulesExample() {
        var criteria: Set<String> = []
        for rule in ProcedureEngine.rules {
            let example = rule.example(base)
            let found = run(fast, example).due
            for action in rule.actions {
                #expect(found.contains { $0.action == action }, "\(type(of: rule)) gives no year calling for \(action)")
            }
            for due in found where due.action == .fpnEligible {
                criteria.formUnion(due.basis.split(separator: ",").map(String.init))
            }
        }
        #expect(Set(ProcedureEngine.rules.flatMap(\.actions)) == Set(ProcedureAction.allCases))
        #expect(criteria == Set(PenaltyCriterion.allCases.map(\.rawValue)))
    }

    @Test(arguments: ProcedureEngine.rules.indices)
    func theFastEngineAgreesWithThePlainReadingNearTheRulesLine(rule index: Int) {
        let rules = ProcedureEngine.rules
        var random = SplitMix64(seed: 20_261_206 &+ UInt64(index))
        let example = rules[index].example(base)
        for trial in 0..<120 {
            var varied = example
            // Sometimes another rule's year laid under this one, so the rules meet.
            if random.chance(0.25) {
                let other = rules[Int(random.next() % UInt64(rules.count))].example(base)
                for (session, code) in other.marks where varied.marks[session] == nil { varied.remark(session, code) }
                varied.evidence = random.chance(0.5) ? other.evidence : varied.evidence
            }
            // Near the line: a few of the marks dropped or changed.
            let dropping = random.chance(0.5) ? 0.0 : random.unit() * 0.3
            for session in varied.marks.keys.sorted() {
                if random.chance(dropping) {
                    varied.unmark(session)
                } else if random.chance(0.05) {
                    varied.remark(session, codes[Int(random.next() % UInt64(codes.count))])
                }
            }
            // The day moved by up to three school days either way, or to a day that is not a school day.
            if random.chance(0.5), let at = varied.days.firstIndex(of: varied.asOf) {
                varied.runOn(schoolDay: at + Int(random.next() % 7) - 3)
            } else if random.chance(0.1) {
                varied.asOf = varied.asOf.adding(days: Int(random.next() % 3) + 1)
            }
            if random.chance(0.3) {
                varied.letter3Sent = random.chance(0.3) ? nil : varied.asOf.adding(days: -Int(random.next() % 20))
            }
            if random.chance(0.3) { varied.contacted = [varied.asOf.adding(days: -Int(random.next() % 4))] }
            if random.chance(0.2) { varied.evidence.prosecutionBegun = true }
            let compulsory = !random.chance(0.1)
            // What was recorded: some of what is due now, with any standing, beside the example's own.
            let first = run(plain, varied, compulsory: compulsory)
            let statuses: [RecordedAction.Status] = [.pending, .done, .withdrawn, .dismissed]
            varied.recorded += first.due.filter { _ in random.chance(0.5) }.map {
                RecordedAction(key: $0.key, action: $0.action, status: statuses[Int(random.next() % 4)])
            }
            let expected = run(plain, varied, compulsory: compulsory)
            let got = run(fast, varied, compulsory: compulsory)
            #expect(got.due.map(\.key) == expected.due.map(\.key), "\(type(of: rules[index])) trial \(trial)")
            #expect(got.due.map(\.count) == expected.due.map(\.count), "\(type(of: rules[index])) trial \(trial)")
            #expect(got.due.map(\.basis) == expected.due.map(\.basis), "\(type(of: rules[index])) trial \(trial)")
            #expect(got == expected, "\(type(of: rules[index])) trial \(trial) as of \(varied.asOf)")
        }
    }

    /// The example's year as a register holds it: present on every other school day up to the day.
    private func marks(_ example: RuleExample) -> YearMarks {
        var marks = YearMarks(academicYear: example.year)
        for day in example.days where day <= example.asOf {
            marks.set(wales["/"], at: SchoolSession(day, .am))
            marks.set(wales["\\"], at: SchoolSession(day, .pm))
        }
        for (session, code) in example.marks { marks.set(wales[code], at: session) }
        return marks
    }

    private func run(_ engine: ProcedureEngine, _ example: RuleExample, compulsory: Bool = true)
        -> ProcedureEngine.Outcome
    {
        engine.run(
            marks: marks(example), calendar: example.calendar, asOf: example.asOf, recorded: example.recorded,
            letter3Sent: example.letter3Sent, compulsoryAge: compulsory, contacted: example.contacted,
            penaltyEvidence: example.evidence)
    }

    private func run(_ engine: ReferenceProcedureEngine, _ example: RuleExample, compulsory: Bool = true)
        -> ProcedureEngine.Outcome
    {
        engine.run(
            marks: marks(example), calendar: example.calendar, asOf: example.asOf, recorded: example.recorded,
            letter3Sent: example.letter3Sent, compulsoryAge: compulsory, contacted: example.contacted,
            penaltyEvidence: example.evidence)
    }
}

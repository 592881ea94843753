/// What happened to penalty notice requests and notices in a term, for a school or the authority: the policy's
/// report (requested, approved, declined, issued, paid at each amount, unpaid, referred for prosecution).
public struct PenaltyTally: Sendable, Hashable, Codable {
    public var requested = 0
    public var approved = 0
    public var declined = 0
    /// Notices issued (one per parent).
    public var issued = 0
    public var paidEarly = 0
    public var paidLate = 0
    /// Notices not paid within the days (whether referred yet or not).
    public var unpaid = 0
    public var referred = 0
    public var withdrawn = 0

    public init() {}

    enum CodingKeys: String, CodingKey {
        case requested, approved, declined, issued, unpaid, referred, withdrawn
        case paidEarly = "paid_early"
        case paidLate = "paid_late"
    }

    /// Adds one case: its steps and its notices.
    mutating func add(_ found: PenaltyCase, earlyPence: Int, latePence: Int) {
        let steps = Set(found.events.map(\.step))
        if steps.contains(PenaltyStep.request.rawValue) { requested += 1 }
        if steps.contains(PenaltyStep.approve.rawValue) { approved += 1 }
        if steps.contains(PenaltyStep.decline.rawValue) { declined += 1 }
        let lapsed = Set(found.events.filter { $0.step == "lapse" }.compactMap(\.noticeID))
        for notice in found.notices {
            issued += 1
            if notice.status == .paid && notice.paidPence == earlyPence { paidEarly += 1 }
            if notice.status == .paid && notice.paidPence == latePence { paidLate += 1 }
            if lapsed.contains(notice.id) { unpaid += 1 }
            if notice.status == .prosecutionReferred { referred += 1 }
            if notice.status == .withdrawn { withdrawn += 1 }
        }
    }
}

public enum PenaltyReport {
    /// A line of the report: a term, a criterion (nil for every case in the term), and its tally.
    public struct Line: Sendable, Hashable {
        public let term: DateRange
        public let criterion: PenaltyCriterion?
        public let tally: PenaltyTally
    }

    /// One line per term with every case, then one per criterion met in it (a case with two criteria counts under
    /// each), terms in order.
    public static func lines(_ cases: [PenaltyCase], notice: Policy.PenaltyNotice) -> [Line] {
        let terms = Dictionary(grouping: cases, by: \.term)
        return terms.keys.sorted { $0.start < $1.start }.flatMap { term -> [Line] in
            let inTerm = terms[term] ?? []
            func tally(_ chosen: [PenaltyCase]) -> PenaltyTally {
                chosen.reduce(into: PenaltyTally()) {
                    $0.add($1, earlyPence: notice.earlyPence, latePence: notice.latePence)
                }
            }
            return [Line(term: term, criterion: nil, tally: tally(inTerm))]
                + PenaltyCriterion.allCases.compactMap { criterion in
                    let chosen = inTerm.filter { $0.criteria.contains(criterion) }
                    return chosen.isEmpty ? nil : Line(term: term, criterion: criterion, tally: tally(chosen))
                }
        }
    }
}

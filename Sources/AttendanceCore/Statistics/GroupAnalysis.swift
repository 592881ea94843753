/// A school's attendance by the groups the policy names ("groups below the school's target": year group, sex,
/// free school meals, looked-after, additional learning needs) and the groups the school makes itself, each a sum
/// of its pupils' counts. A group of fewer than `smallGroup` pupils is marked small; where the reader must not be
/// able to pick out a pupil (governors, advisers, other schools) it is suppressed, and so is a second line of
/// the same breakdown when the whole school minus the others would give it away.
///
/// Free school meals, looked-after and additional learning needs are the pupil's flags as held today, and so is
/// the year group: a past period is grouped by today's flags.
public struct GroupAnalysis: Sendable, Hashable {
    public enum Breakdown: String, CaseIterable, Sendable, Hashable {
        case yearGroup = "year"
        case sex
        case freeSchoolMeals = "fsm"
        case lookedAfter = "lac"
        case additionalLearningNeeds = "aln"
        /// Groups the school defines (a nurture group): they overlap and need not cover the school.
        case schoolGroup = "group"

        /// Whether the lines of this breakdown share out the whole school, so that the whole minus the others
        /// gives the last one.
        public var partitionsTheSchool: Bool { self != .schoolGroup }
    }

    /// One pupil's figures for the period, and what places them in groups.
    public struct Member: Sendable, Hashable {
        public let pupil: Pupil
        public let summary: AttendanceSummary
        /// The school's own groups the pupil is in, by name.
        public let schoolGroups: Set<String>

        public init(pupil: Pupil, summary: AttendanceSummary, schoolGroups: Set<String> = []) {
            (self.pupil, self.summary, self.schoolGroups) = (pupil, summary, schoolGroups)
        }
    }

    public struct Line: Sendable, Hashable {
        /// The year group ("7"), the sex's letter ("F"), "yes" or "no" for a flag, or the school group's name;
        /// empty for the whole school.
        public let key: String
        public let pupils: Int
        public let summary: AttendanceSummary
        public let persistent: Int
        /// Fewer than `GroupAnalysis.smallGroup` pupils.
        public let isSmall: Bool
        /// Not to be shown to a reader who must not identify a pupil.
        public let isSuppressed: Bool

        /// Persistent absentees as tenths of a percent of the pupils, rounded half up; nil for no pupils.
        public var persistentTenths: Int? {
            Tenths.share(persistent, of: pupils)
        }

        /// The line's attendance less another figure, in tenths of a point (−12 is 1.2 points below).
        public func gap(to tenths: Int) -> Int? { summary.attendanceTenths.map { $0 - tenths } }

        func suppressing() -> Line {
            Line(
                key: key, pupils: pupils, summary: summary, persistent: persistent, isSmall: isSmall,
                isSuppressed: true)
        }
    }

    public struct Section: Sendable, Hashable {
        public let breakdown: Breakdown
        public let lines: [Line]
    }

    /// Below this many pupils a group is small.
    public static let smallGroup = 5

    public let whole: Line
    public let sections: [Section]

    /// Groups the pupils. `schoolGroups` names the school's own groups in the order to show them (a group with
    /// no pupil in the period still has its line).
    /// The lines a pupil counts in: one per breakdown that shares out the school, and each of the school's own
    /// groups they are in. The analysis and the pupils behind a line (an intervention's) both ask this.
    public static func keys(of member: Member, schoolGroups: [String]) -> [(Breakdown, String)] {
        let pupil = member.pupil
        return [
            (.yearGroup, pupil.yearGroup), (.sex, pupil.sex.rawValue),
            (.freeSchoolMeals, pupil.freeSchoolMeals ? "yes" : "no"),
            (.lookedAfter, pupil.lookedAfter ? "yes" : "no"),
            (.additionalLearningNeeds, pupil.additionalLearningNeeds ? "yes" : "no"),
        ] + member.schoolGroups.filter(schoolGroups.contains).map { (.schoolGroup, $0) }
    }

    public static func make(_ members: [Member], schoolGroups: [String] = [], rules: SummaryRules) -> GroupAnalysis {
        struct Tally {
            var pupils = 0
            var summary: AttendanceSummary
            var persistent = 0
            mutating func add(_ member: Member) {
                pupils += 1
                summary = summary + member.summary
                if member.summary.persistentAbsence { persistent += 1 }
            }
        }
        let empty = Tally(summary: .empty(rules: rules))
        var whole = empty
        var tallies: [Breakdown: [String: Tally]] = [:]
        for member in members {
            whole.add(member)
            for (breakdown, key) in keys(of: member, schoolGroups: schoolGroups) {
                tallies[breakdown, default: [:]][key, default: empty].add(member)
            }
        }
        func line(_ key: String, _ tally: Tally) -> Line {
            let small = tally.pupils < smallGroup
            return Line(
                key: key, pupils: tally.pupils, summary: tally.summary, persistent: tally.persistent, isSmall: small,
                isSuppressed: small)
        }
        let sections = Breakdown.allCases.map { breakdown in
            let found = tallies[breakdown] ?? [:]
            let keys: [String]
            switch breakdown {
            case .yearGroup: keys = found.keys.sorted(by: NaturalOrder.precedes)
            case .sex: keys = Sex.allCases.map(\.rawValue).filter { found[$0] != nil }
            case .schoolGroup: keys = schoolGroups
            default: keys = ["yes", "no"]
            }
            let lines = keys.map { line($0, found[$0] ?? empty) }
            return Section(
                breakdown: breakdown, lines: breakdown.partitionsTheSchool ? secondarySuppression(lines) : lines)
        }
        return GroupAnalysis(whole: line("", whole), sections: sections)
    }

    /// When one line of a breakdown that shares out the school is hidden, the whole less the others gives it:
    /// hide the smallest other line with pupils too (the same choice every time, so two readings agree).
    static func secondarySuppression(_ lines: [Line]) -> [Line] {
        var lines = lines
        let hidden = lines.filter { $0.isSuppressed && $0.pupils > 0 }
        guard hidden.count == 1,
            let next = lines.indices.filter({ !lines[$0].isSuppressed && lines[$0].pupils > 0 })
                .min(by: { (lines[$0].pupils, lines[$0].key) < (lines[$1].pupils, lines[$1].key) })
        else { return lines }
        lines[next] = lines[next].suppressing()
        return lines
    }

    /// Whether any line is small (an analysis says so, and where it is shown to others, that lines are hidden).
    public var hasSmallGroups: Bool { whole.isSmall || sections.contains { $0.lines.contains(where: \.isSmall) } }
}

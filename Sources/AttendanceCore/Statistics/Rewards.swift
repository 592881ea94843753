/// What a school rewards: 100% attendance over a period, or the most improved attendance into it.
public enum RewardKind: String, Sendable, Hashable, CaseIterable {
    case fullAttendance = "full_attendance"
    case mostImproved = "most_improved"
}

/// The policy's rewards (issue 34, point 9): 100% attendance over a term or a year, and the most improved
/// attendance from one period to the next. One rule for the rewards page, the governors' report and the
/// certificates, so a certificate goes only to a pupil the page lists.
public enum Rewards {
    /// Fewest possible sessions in each period for a pupil to count as improved: ten school days, so a pupil who
    /// joined last week, or was on roll for a day of the earlier period, is not "most improved" by arithmetic.
    public static let minimumSessions = 20
    /// The smallest rise that counts as most improved, in tenths of a point: five points.
    public static let minimumRiseTenths = 50

    /// Attended every possible session of the period (and had one).
    public static func fullAttendance(_ summary: AttendanceSummary) -> Bool {
        summary.possible > 0 && summary.attended == summary.possible
    }

    /// A pupil's rise from one period to the next.
    public struct Improvement: Hashable, Sendable {
        public let upn: UPN
        /// Attendance in tenths of a percent, in the earlier period and in the period rewarded.
        public let earlierTenths: Int
        public let laterTenths: Int
        /// The rise in tenths of a point.
        public var riseTenths: Int { laterTenths - earlierTenths }

        public init(upn: UPN, earlierTenths: Int, laterTenths: Int) {
            self.upn = upn
            self.earlierTenths = earlierTenths
            self.laterTenths = laterTenths
        }
    }

    /// Whether a rise counts as most improved: enough sessions in both periods and a rise of at least
    /// `minimumRiseTenths`.
    public static func isMostImproved(earlier: AttendanceSummary, later: AttendanceSummary) -> Bool {
        guard earlier.possible >= minimumSessions, later.possible >= minimumSessions,
            let before = earlier.attendanceTenths, let after = later.attendanceTenths
        else { return false }
        return after - before >= minimumRiseTenths
    }

    /// The pupil's improvement when it counts as most improved (`isMostImproved`); nil otherwise.
    public static func improvement(
        _ upn: UPN, earlier: AttendanceSummary, later: AttendanceSummary
    ) -> Improvement? {
        guard isMostImproved(earlier: earlier, later: later), let before = earlier.attendanceTenths,
            let after = later.attendanceTenths
        else { return nil }
        return Improvement(upn: upn, earlierTenths: before, laterTenths: after)
    }

    /// Every pupil who counts as most improved, the largest rise first (then by UPN, so the list is the same
    /// every time). A pupil in only one of the periods is not compared.
    public static func mostImproved(
        earlier: [UPN: AttendanceSummary], later: [UPN: AttendanceSummary]
    ) -> [Improvement] {
        later.compactMap { upn, summary in
            earlier[upn].flatMap { improvement(upn, earlier: $0, later: summary) }
        }
        .sorted { ($1.riseTenths, $0.upn.value) < ($0.riseTenths, $1.upn.value) }
    }
}

/// A draw among the pupils eligible for a reward, fair and repeatable: the same entrants and seed give the same
/// winners on any machine, so a recorded draw can be run again by anyone to show it was not chosen by hand.
public enum RewardDraw {
    /// The winners, in the order drawn. Entrants are put in UPN order first (the order they were listed in does
    /// not matter), then a Fisher–Yates shuffle driven by SplitMix64 from the seed picks the first `count`.
    public static func winners(from entrants: [UPN], seed: UInt64, count: Int) -> [UPN] {
        var pool = Array(Set(entrants)).sorted { $0.value < $1.value }
        var generator = SplitMix64(seed: seed)
        let picks = min(max(count, 0), pool.count)
        for index in 0..<picks {
            let chosen = index + generator.below(pool.count - index)
            pool.swapAt(index, chosen)
        }
        return Array(pool.prefix(picks))
    }

    /// SplitMix64 (Steele, Lea and Flood, 2014): small, fully specified, the same everywhere; unlike the standard
    /// library's generator, whose algorithm is not promised to stay the same.
    struct SplitMix64 {
        private var state: UInt64

        init(seed: UInt64) { state = seed }

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }

        /// A number in 0..<bound without modulo bias: draws that fall in the short last stretch are drawn again.
        mutating func below(_ bound: Int) -> Int {
            let limit = UInt64(bound)
            let threshold = (0 &- limit) % limit  // 2^64 mod bound
            while true {
                let value = next()
                if value >= threshold { return Int(value % limit) }
            }
        }
    }
}

/// A term or a school year: what a reward's draw is for, whenever in it the draw is made.
public enum RewardSpan: String, Sendable, Hashable, CaseIterable {
    case term
    case year
}

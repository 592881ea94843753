/// A pupil's (or a group's) attendance over a period. The ONE place the figures are computed:
/// every page, report, letter and export builds one of these.
///
/// possible = every mark outside "not counted"; attended = present + approved educational activity;
/// absent = authorised + unauthorised; attendance % = attended / possible × 100.
public struct AttendanceSummary: Hashable, Sendable {
    /// Present marks including late-before-close (L).
    public let present: Int
    public let approvedActivity: Int
    /// Authorised absence.
    public let authorised: Int
    /// Unauthorised absence including late-after-close (U).
    public let unauthorised: Int
    public let lateBeforeClose: Int
    public let lateAfterClose: Int
    public let notCounted: Int
    public let rules: SummaryRules

    public var attended: Int { present + approvedActivity }
    public var absent: Int { authorised + unauthorised }
    public var possible: Int { attended + absent }

    /// Attendance in tenths of a percent, rounded half up; nil when there is no possible session.
    public var attendanceTenths: Int? { Tenths.share(attended, of: possible) }

    /// Sessions missed with authorisation, in tenths of a percent of possible sessions (rounded half up).
    public var authorisedTenths: Int? { Tenths.share(authorised, of: possible) }

    /// Sessions missed without authorisation, the same way.
    public var unauthorisedTenths: Int? { Tenths.share(unauthorised, of: possible) }

    /// The change in attendance from an earlier period to this one, in tenths of a point (+21 is up 2.1 points);
    /// nil when either has no possible session.
    public func change(since earlier: AttendanceSummary) -> Int? {
        guard let now = attendanceTenths, let then = earlier.attendanceTenths else { return nil }
        return now - then
    }

    /// Attendance percentage to one decimal place.
    public var attendancePercent: Double? { attendanceTenths.map { Double($0) / 10 } }

    /// "95.3%" or "–" when there is nothing to count.
    public var attendancePercentText: String { Tenths.percentText(attendanceTenths) }

    /// The band of the exact figure: 91.96% is below 92% and RED, though it is shown rounded as "92.0%". Every
    /// list (the ESW's "below 92%") and every band agrees because both read this.
    public var band: Band? {
        guard possible > 0 else { return nil }
        if attended * 1000 >= rules.greenFromTenths * possible { return .green }
        if attended * 1000 >= rules.amberFromTenths * possible { return .amber }
        return .red
    }

    /// Missed at least the persistent-absence share of possible sessions, measured exactly (not rounded),
    /// as the Welsh Government statistics do.
    public var persistentAbsence: Bool {
        possible > 0 && absent * 100 >= possible * rules.persistentAbsencePercent
    }

    init(counts: [Int], rules: SummaryRules) {
        present = counts[Int(SummaryClass.present.rawValue)] + counts[Int(SummaryClass.lateBeforeClose.rawValue)]
        approvedActivity = counts[Int(SummaryClass.approvedActivity.rawValue)]
        authorised = counts[Int(SummaryClass.authorised.rawValue)]
        unauthorised =
            counts[Int(SummaryClass.unauthorised.rawValue)] + counts[Int(SummaryClass.lateAfterClose.rawValue)]
        lateBeforeClose = counts[Int(SummaryClass.lateBeforeClose.rawValue)]
        lateAfterClose = counts[Int(SummaryClass.lateAfterClose.rawValue)]
        notCounted = counts[Int(SummaryClass.notCounted.rawValue)]
        self.rules = rules
    }

    public static func empty(rules: SummaryRules = .wrexham2025) -> AttendanceSummary {
        AttendanceSummary(counts: Array(repeating: 0, count: SummaryClass.allCases.count), rules: rules)
    }

    /// Summarises a list of codes.
    public init(codes: some Sequence<AttendanceCode>, rules: SummaryRules = .wrexham2025) {
        var counts = Array(repeating: 0, count: SummaryClass.allCases.count)
        for code in codes {
            counts[Int(SummaryClass(code).rawValue)] += 1
        }
        self.init(counts: counts, rules: rules)
    }

    /// Adds two summaries (a group's figure is the sum of its pupils' counts, never an average of percentages).
    public static func + (lhs: AttendanceSummary, rhs: AttendanceSummary) -> AttendanceSummary {
        AttendanceSummary(
            present: lhs.present + rhs.present, approvedActivity: lhs.approvedActivity + rhs.approvedActivity,
            authorised: lhs.authorised + rhs.authorised, unauthorised: lhs.unauthorised + rhs.unauthorised,
            lateBeforeClose: lhs.lateBeforeClose + rhs.lateBeforeClose,
            lateAfterClose: lhs.lateAfterClose + rhs.lateAfterClose, notCounted: lhs.notCounted + rhs.notCounted,
            rules: lhs.rules)
    }

    private init(
        present: Int, approvedActivity: Int, authorised: Int, unauthorised: Int, lateBeforeClose: Int,
        lateAfterClose: Int, notCounted: Int, rules: SummaryRules
    ) {
        self.present = present
        self.approvedActivity = approvedActivity
        self.authorised = authorised
        self.unauthorised = unauthorised
        self.lateBeforeClose = lateBeforeClose
        self.lateAfterClose = lateAfterClose
        self.notCounted = notCounted
        self.rules = rules
    }
}

extension AttendanceSummary {
    /// Each pupil's figures from lines that may give a pupil more than once (a pupil who moved form has a line
    /// for each): the lines added together, so a band is of the whole.
    public static func byPupil(_ lines: some Sequence<(UPN, AttendanceSummary)>) -> [UPN: AttendanceSummary] {
        Dictionary(lines.map { ($0.0, $0.1) }, uniquingKeysWith: +)
    }
}

/// A share in tenths of a percent as a person reads it, written one way everywhere.
public enum Tenths {
    /// A count as tenths of a percent of a total, rounded half up; nil when the total is 0. The one rounding of
    /// every share: attendance, absence, persistent absentees, bands.
    public static func share(_ count: Int, of total: Int) -> Int? {
        total > 0 ? (count * 2000 + total) / (2 * total) : nil
    }

    /// 953 is "95.3%"; nil (nothing to count) is "–".
    public static func percentText(_ tenths: Int?) -> String {
        tenths == nil ? "–" : decimalText(tenths) + "%"
    }

    /// For a file (CSV): 953 is "95.3"; nil is empty.
    public static func decimalText(_ tenths: Int?) -> String {
        guard let tenths else { return "" }
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// A difference in points: +12 is "+1.2", −8 is "−0.8" (a true minus sign), 0 is "0.0"; nil is "–".
    public static func pointsText(_ tenths: Int?) -> String {
        guard let tenths else { return "–" }
        let size = abs(tenths)
        return "\(tenths > 0 ? "+" : tenths < 0 ? "−" : "")\(size / 10).\(size % 10)"
    }
}

import Foundation

/// A school's attendance target for a school year ("Set attendance targets with the SIA's and governors": the
/// head's duty). The Education Lead may propose one for every school; it stands as proposed until the head
/// confirms or changes it. Figures are compared with it exactly, as the bands are.
public struct AttendanceTarget: Sendable, Hashable {
    public enum State: String, Sendable, Hashable {
        /// Proposed by the local authority; the head has not yet confirmed or changed it.
        case proposed
        /// Set (or confirmed) by the head.
        case set
    }

    public let school: LAESTAB
    public let year: AcademicYear
    /// The target in tenths of a percent: 950 is 95.0%.
    public let tenths: Int
    public let state: State
    /// Who last proposed or set it (as the record keeps a person: their email), and when (the record's timestamp).
    public let by: String
    public let at: String

    public init(school: LAESTAB, year: AcademicYear, tenths: Int, state: State, by: String, at: String) {
        (self.school, self.year, self.tenths, self.state, self.by, self.at) = (school, year, tenths, state, by, at)
    }

    /// "95.0%".
    public var percentText: String { Self.percentText(tenths) }

    /// A target in tenths as a person reads it: 950 is "95.0%".
    public static func percentText(_ tenths: Int) -> String { Tenths.percentText(tenths) }

    /// Whether a figure is below the target, exactly (91.96% is below a 92.0% target though shown as "92.0%").
    public func isMissed(by summary: AttendanceSummary) -> Bool {
        guard summary.possible > 0 else { return false }
        return summary.attended * 1000 < tenths * summary.possible
    }

    /// Whether a pupil's figure is below the school's target, or, where the school has none for the year, below
    /// the green band: whom the interventions' lists and the parents' evening list name.
    public static func isBelow(_ target: AttendanceTarget?, _ summary: AttendanceSummary) -> Bool {
        target.map { $0.isMissed(by: summary) } ?? (summary.band != .green)
    }

    /// The lowest and highest target a school may set: below half the sessions is no target, above all is none.
    public static let allowedTenths = 500...1000

    public enum Problem: String, Error, Equatable, Sendable {
        /// Not a percentage with at most one decimal place.
        case notAPercentage
        /// Outside 50.0–100.0%.
        case outOfRange
    }

    /// Reads a target as a person types it: "95", "95.5", "95,5" or "95.5%".
    public static func tenths(typed text: String) throws(Problem) -> Int {
        var typed = text.trimmingCharacters(in: .whitespaces)
        if typed.hasSuffix("%") { typed.removeLast() }
        typed = typed.replacingOccurrences(of: ",", with: ".")
        let parts = typed.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = Int(parts[0]), parts[0].allSatisfy(\.isNumber),
            parts.count == 1 || (parts[1].count == 1 && parts[1].allSatisfy(\.isNumber))
        else { throw .notAPercentage }
        guard whole <= 100 else { throw .outOfRange }
        let value = whole * 10 + (parts.count == 2 ? Int(parts[1]) ?? 0 : 0)
        guard allowedTenths.contains(value) else { throw .outOfRange }
        return value
    }
}

import Foundation

/// An admission a Common Transfer File prepared: the pupil, their contacts and history are in the record; the
/// office confirms the admission with the two things a CTF does not carry, the first day on roll and the form group.
public enum Admission {
    public enum Problem: String, Error, Sendable, Hashable {
        /// No form group, or one longer than a form group's name.
        case noGroup = "no_group"
        /// A first day more than a year from today either way.
        case outOfRange = "out_of_range"
        /// Confirmed or withdrawn already (a second click, or someone else first).
        case notPrepared = "not_prepared"
        /// The pupil is on the school's roll on that day already.
        case onRoll = "on_roll"
    }

    /// Checks the office's confirmation; the group comes back trimmed.
    public static func check(group: String, firstDay: LocalDate, today: LocalDate) throws(Problem) -> String {
        let group = group.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !group.isEmpty, group.count <= 20 else { throw .noGroup }
        guard abs(firstDay.days(until: today)) <= 366 else { throw .outOfRange }
        return group
    }

    /// The national curriculum year a pupil born on a day is in during a school year ("R" for reception, "N" for a
    /// nursery year): for a pupil whose file does not say, as schools in England and Wales place a child by age.
    public static func yearGroup(bornOn birth: LocalDate, in year: AcademicYear) -> String {
        let group = year.startYear - birth.academicYear.startYear - 5
        switch group {
        case ..<0: return "N"
        case 0: return "R"
        default: return String(min(group, 14))
        }
    }
}

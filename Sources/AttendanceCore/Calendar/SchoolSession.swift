/// Morning or afternoon: the two registers of a school day.
public enum SessionHalf: String, Sendable, Codable, CaseIterable, Comparable {
    case am = "AM"
    case pm = "PM"

    /// Accepts `AM`/`PM` in any case.
    public init?(text: some StringProtocol) {
        switch text.uppercased() {
        case "AM": self = .am
        case "PM": self = .pm
        default: return nil
        }
    }

    public static func < (lhs: SessionHalf, rhs: SessionHalf) -> Bool { lhs == .am && rhs == .pm }
}

/// One register: a date and a half-day.
public struct SchoolSession: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    public let date: LocalDate
    public let half: SessionHalf

    public init(_ date: LocalDate, _ half: SessionHalf) {
        self.date = date
        self.half = half
    }

    /// "2025-10-06 AM", the form used in exports and procedure output.
    public var description: String { date.iso + (half == .am ? " AM" : " PM") }

    /// Position of this session in its academic year's compact mark string.
    public var slotInAcademicYear: Int {
        date.academicYear.firstDay.days(until: date) * 2 + (half == .am ? 0 : 1)
    }

    /// The session at a slot of a year's compact mark string.
    /// Reads "2025-11-03 AM", as `description` writes it.
    public init?(text: some StringProtocol) {
        let parts = text.split(separator: " ")
        guard parts.count == 2, let date = LocalDate(iso: parts[0]), let half = SessionHalf(text: parts[1]) else {
            return nil
        }
        self.init(date, half)
    }

    public init(academicYear: AcademicYear, slot: Int) {
        self.init(academicYear.firstDay.adding(days: slot / 2), slot % 2 == 0 ? .am : .pm)
    }

    public static func < (lhs: SchoolSession, rhs: SchoolSession) -> Bool {
        lhs.date == rhs.date ? lhs.half < rhs.half : lhs.date < rhs.date
    }
}

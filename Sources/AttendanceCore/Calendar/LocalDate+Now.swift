import Foundation

extension LocalDate {
    /// The date on the school's wall calendar at an instant (the machine's time zone by default).
    public static func today(at instant: Date = Date(), calendar: Calendar = .current) -> LocalDate {
        let parts = calendar.dateComponents([.year, .month, .day], from: instant)
        return LocalDate(year: parts.year!, month: parts.month!, day: parts.day!)!
    }
}

extension TimeOfDay {
    /// The wall-clock time at an instant (the machine's time zone by default).
    public static func now(at instant: Date = Date(), calendar: Calendar = .current) -> TimeOfDay {
        let parts = calendar.dateComponents([.hour, .minute], from: instant)
        return TimeOfDay(hour: parts.hour!, minute: parts.minute!)!
    }
}

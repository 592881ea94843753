import Foundation

extension LocalDate {
    /// The date on the school's wall calendar at an instant (the machine's time zone by default).
    public static func today(at instant: Date = Date(), calendar: Calendar = .current) -> LocalDate {
        // A Gregorian calendar always gives these parts; the day number of the instant is the fallback.
        let parts = calendar.dateComponents([.year, .month, .day], from: instant)
        if let year = parts.year, let month = parts.month, let day = parts.day,
            let date = LocalDate(year: year, month: month, day: day)
        {
            return date
        }
        return LocalDate(dayNumber: Int((instant.timeIntervalSince1970 / 86_400).rounded(.down)))
    }
}

extension TimeOfDay {
    /// The wall-clock time at an instant (the machine's time zone by default).
    public static func now(at instant: Date = Date(), calendar: Calendar = .current) -> TimeOfDay {
        let parts = calendar.dateComponents([.hour, .minute], from: instant)
        return TimeOfDay(hour: parts.hour ?? 0, minute: parts.minute ?? 0) ?? TimeOfDay.midnight
    }
}

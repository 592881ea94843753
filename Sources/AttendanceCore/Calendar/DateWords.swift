import Foundation

/// Dates and times as a person reads them, in their language: the weekday, the day, the month's name and the
/// year ("Friday 4 December 2026", "dydd Gwener 4 Rhagfyr 2026": WELSH.md 2(d) writes the weekday with a small
/// *d*), and moments in UK time. ISO stays in CSV, the API and forms' values.
extension LocalDate {
    static let weekdaysEn = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    static let weekdaysCy = [
        "dydd Llun", "dydd Mawrth", "dydd Mercher", "dydd Iau", "dydd Gwener", "dydd Sadwrn", "dydd Sul",
    ]

    /// "Friday", "dydd Gwener".
    public func weekdayName(_ language: Language) -> String {
        (language == .cy ? Self.weekdaysCy : Self.weekdaysEn)[weekday.rawValue - 1]
    }

    /// "Friday 4 December 2026", "dydd Gwener 4 Rhagfyr 2026".
    public func readable(_ language: Language) -> String {
        "\(weekdayName(language)) \(letterText(language))"
    }

    /// Without the year, for a day in the coming weeks: "Friday 4 December", "dydd Gwener 4 Rhagfyr".
    public func readableDay(_ language: Language) -> String {
        let months = language == .cy ? Self.monthsCy : Self.monthsEn
        return "\(weekdayName(language)) \(day) \(months[month - 1])"
    }
}

extension DateRange {
    /// "Friday 4 December 2026", or "Monday 7 December 2026 to Friday 11 December 2026" ("… i …" in Welsh, as WG
    /// writes a range).
    public func readable(_ language: Language) -> String {
        guard start != end else { return start.readable(language) }
        return language == .cy
            ? WelshGrammar.softenDays("\(start.readable(.cy)) i \(end.readable(.cy))")
            : "\(start.readable(.en)) to \(end.readable(.en))"
    }
}

/// A moment as a person in Wales reads it: the day in words and the time on the clock in UK time (GMT or BST).
public enum UKTime {
    static let zone = TimeZone(identifier: "Europe/London") ?? TimeZone(secondsFromGMT: 0) ?? .current

    static var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }

    /// The UK date and time of an instant.
    public static func parts(_ instant: Date) -> (date: LocalDate, time: TimeOfDay) {
        (LocalDate.today(at: instant, calendar: calendar), TimeOfDay.now(at: instant, calendar: calendar))
    }

    /// "Friday 4 December 2026, 21:54", "dydd Gwener 4 Rhagfyr 2026, 21:54".
    public static func readable(_ instant: Date, _ language: Language) -> String {
        let (date, time) = parts(instant)
        return "\(date.readable(language)), \(time)"
    }
}

/// The school week a page means by "this week": Monday to Friday, up to today when today is a weekday,
/// or the whole week just ended at a weekend.
public enum SchoolWeek {
    public static func current(on today: LocalDate) -> DateRange {
        let offset = today.weekday.rawValue - 1
        let monday = today.adding(days: -offset)
        let friday = monday.adding(days: 4)
        // Monday is never after today, and never after its own Friday.
        return DateRange(ordered: monday, min(today, friday))
    }

    /// Monday to Friday of the week a day falls in (a Saturday or Sunday gives the week just gone): the week a
    /// weekly return reports.
    public static func of(_ day: LocalDate) -> DateRange {
        let monday = day.adding(days: -(day.weekday.rawValue - 1))
        return DateRange(ordered: monday, monday.adding(days: 4))
    }
}

import AttendanceCore
import AttendanceStore
import Foundation

/// Dates and moments on a page, in the reader's language, through the core's one way of writing them
/// (`LocalDate.readable`, `UKTime`): a page model has the catalogue's `text`, and the catalogue says which
/// language it is (`catalogue.language`). ISO dates stay in links, forms' values, CSV and the API.
enum DateText {
    typealias Text = (String, [String: String]) -> String

    static func language(_ text: Text) -> Language {
        Language(rawValue: text("catalogue.language", [:])) ?? .en
    }

    /// "Friday 4 December 2026", "dydd Gwener 4 Rhagfyr 2026".
    static func day(_ date: LocalDate, _ text: Text) -> String {
        date.readable(language(text))
    }

    /// A day kept as ISO text ("2026-12-04"); text that is not one is shown as it is.
    static func day(stored: String, _ text: Text) -> String {
        LocalDate(iso: stored).map { day($0, text) } ?? stored
    }

    /// "Monday 7 December 2026 to Friday 11 December 2026", or one day.
    static func range(_ range: DateRange, _ text: Text) -> String {
        range.readable(language(text))
    }

    /// A moment in UK time: "Friday 4 December 2026, 21:54".
    static func moment(_ instant: Date, _ text: Text) -> String {
        UKTime.readable(instant, language(text))
    }

    /// A moment kept as the record's ISO text ("2026-12-05T21:54:16.335Z"); text that is not one is shown as it is.
    static func moment(stored: String, _ text: Text) -> String {
        Timestamp.date(stored).map { moment($0, text) } ?? stored
    }
}

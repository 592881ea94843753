import AttendanceCore
import Foundation

/// libFuzzer target: everything that reads a date, a time or an identifier from outside (a path, a form, a file):
/// `LocalDate(entered:)` and `(iso:)`, `TimeOfDay`, sessions, UPN and LAESTAB. A value read must say what it read.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDates(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    if let date = LocalDate(entered: text) {
        // A date taken from outside is within the bounds and reads back as itself.
        guard (1990...2100).contains(date.year), LocalDate(iso: date.iso) == date else { fatalError("date \(date)") }
    }
    if let date = LocalDate(iso: text) { _ = date.adding(days: 1).weekday }
    if let time = TimeOfDay(text: text) { _ = time.description }
    if let session = SchoolSession(text: text) { _ = session.slotInAcademicYear }
    _ = try? UPN(text)
    if let laestab = LAESTAB(text: text), LAESTAB(text: laestab.description) != laestab { fatalError("LAESTAB") }
    return 0
}

#if !FUZZING
    @main enum NotAFuzzer {
        static func main() { print("Build with scripts/fuzz (libFuzzer) to fuzz the date and identifier readers.") }
    }
#endif

import AttendanceCore
import AttendanceInterop
import Foundation

/// libFuzzer target: the CSV import rows. The first byte picks the file (schools, calendar, pupils, contacts,
/// marks, a timetable of a one- or two-week cycle, class lists, lesson marks); the rest is the file. Every input must
/// end in rows or a list of problems, never a crash.
/// Built by `scripts/fuzz` with `-sanitize=fuzzer,address -DFUZZING`; an ordinary build gets a main that says so.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzImportRows(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: start, count: count)
    guard let first = bytes.first else { return 0 }
    let text = String(decoding: bytes.dropFirst(), as: UTF8.self)
    switch first % 9 {
    case 0: _ = try? ImportParser.schools(text)
    case 1: _ = try? ImportParser.calendar(text)
    case 2: _ = try? ImportParser.pupils(text)
    case 3: _ = try? ImportParser.contacts(text)
    case 4: _ = try? ImportParser.marks(text, codes: .wales2010)
    case 5, 6:
        let weeks = Int(first % 9) - 4
        if let lessons = try? ImportParser.timetable(text, weeks: weeks),
            !lessons.allSatisfy({ (1...(5 * weeks)).contains($0.value.cycleDay) && $0.value.end > $0.value.start })
        {
            fatalError("a lesson outside its cycle, or ending before it starts, was taken")
        }
    case 7: _ = try? ImportParser.classes(text)
    default:
        // A late mark always has its minutes, and no other mark has any.
        if let marks = try? ImportParser.lessonMarks(text),
            !marks.allSatisfy({ ($0.value.mark.code == .late) == ($0.value.mark.minutesLate != nil) })
        {
            fatalError("a lesson mark with minutes that do not fit it was taken")
        }
    }
    return 0
}

#if !FUZZING
    @main enum NotAFuzzer {
        static func main() { print("Build with scripts/fuzz (libFuzzer) to fuzz the CSV import rows.") }
    }
#endif

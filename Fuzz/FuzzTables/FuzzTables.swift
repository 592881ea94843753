import AttendanceCore
import Foundation

/// libFuzzer target: the JSON files an authority gives the program, the code table and the attendance policy (the
/// first byte picks which). Every input must load or be refused with an error, never a crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTables(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: start, count: count)
    guard let first = bytes.first else { return 0 }
    let data = Data(bytes.dropFirst())
    if first % 2 == 0 {
        _ = try? CodeTable(json: data)
    } else {
        _ = try? Policy(json: data)
    }
    return 0
}

#if !FUZZING
    @main enum NotAFuzzer {
        static func main() { print("Build with scripts/fuzz (libFuzzer) to fuzz the code table and policy JSON.") }
    }
#endif

import AttendanceInterop
import Foundation

/// libFuzzer target: the Common Transfer File reader. Every input must be read or refused with its problem, never
/// a crash (nor a document type's entities expanded).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCTF(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    _ = try? CTFReader.read(Data(bytes: start, count: count))
    return 0
}

#if !FUZZING
    @main enum NotAFuzzer {
        static func main() { print("Build with scripts/fuzz (libFuzzer) to fuzz the CTF reader.") }
    }
#endif

import AttendanceCore
import AttendanceInterop
import Foundation

/// libFuzzer target: the register-save JSON the API takes (`RegisterSaveBody`), and what the web edge reads from it
/// before the register's rules: each mark's UPN, the device's key and the time its marks were made.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRegisterSave(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let data = Data(bytes: start, count: count)
    guard let body = RegisterSaveBody.read(data) else { return 0 }
    guard body.marks.count <= RegisterSaveBody.mostMarks else { fatalError("more marks than a save may carry") }
    for entry in body.marks {
        if let upn = try? UPN(entry.upn), (try? UPN(upn.value)) != upn { fatalError("UPN \(upn)") }
    }
    let received = Date(timeIntervalSince1970: 1_795_000_000)
    let made = body.madeAt.flatMap(DeviceSave.time)
    if let key = body.saveKey, let device = try? DeviceSave(key: key, madeAt: made, receivedAt: received) {
        // A time taken is within its bounds.
        if let at = device.madeAt,
            at < received.addingTimeInterval(-DeviceSave.longestHeld)
                || at > received.addingTimeInterval(DeviceSave.clockAhead)
        {
            fatalError("a device's time out of bounds was taken")
        }
    }
    return 0
}

#if !FUZZING
    @main enum NotAFuzzer {
        static func main() { print("Build with scripts/fuzz (libFuzzer) to fuzz the register-save JSON reader.") }
    }
#endif

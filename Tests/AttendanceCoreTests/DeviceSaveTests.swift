import AttendanceCore
import Foundation
import Testing

@Suite struct DeviceSaveTests {
    let received = Date(timeIntervalSince1970: 1_795_000_000)

    @Test func aKeyIsEightToSixtyFourLettersDigitsAndHyphens() throws {
        for key in ["0f0e1d2c", "6d3c1f0a-5b1e-4c1b-9a7e-2f6a1c0b9d3e", String(repeating: "a", count: 64)] {
            #expect(try DeviceSave(key: key, madeAt: nil, receivedAt: received).key == key)
        }
        for key in ["", "short", String(repeating: "a", count: 65), "with space", "ünïcode-key", "semi;colon1"] {
            #expect(throws: DeviceSave.Problem.key) { try DeviceSave(key: key, madeAt: nil, receivedAt: received) }
        }
    }

    @Test func aSaveIsHeldOnTheDeviceForAWeekAtMostAndNotMadeAfterItArrived() throws {
        let key = "0f0e1d2c-offline"
        for offset: TimeInterval in [-DeviceSave.longestHeld, -3600, 0, DeviceSave.clockAhead] {
            let made = received.addingTimeInterval(offset)
            #expect(try DeviceSave(key: key, madeAt: made, receivedAt: received).madeAt == made)
        }
        for offset: TimeInterval in [-DeviceSave.longestHeld - 1, DeviceSave.clockAhead + 1, -400 * 24 * 3600] {
            #expect(throws: DeviceSave.Problem.madeAt) {
                try DeviceSave(key: key, madeAt: received.addingTimeInterval(offset), receivedAt: received)
            }
        }
    }
}

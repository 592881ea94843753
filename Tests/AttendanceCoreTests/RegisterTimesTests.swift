import Testing

@testable import AttendanceCore

@Suite struct RegisterTimesTests {
    let am = RegisterTimes(start: TimeOfDay(text: "08:50")!, close: TimeOfDay(text: "09:20")!)!

    @Test(arguments: [
        ("08:45", nil as CodeMeaning?, 0), ("08:50", nil, 0), ("08:51", .lateBeforeClose, 1),
        ("09:20", .lateBeforeClose, 30), ("09:21", .lateAfterClose, 31), ("11:00", .lateAfterClose, 130),
    ])
    func lateBeforeAndAfterClose(arrival: String, meaning: CodeMeaning?, minutes: Int) {
        let time = TimeOfDay(text: arrival)!
        #expect(am.lateMeaning(arrivingAt: time) == meaning)
        #expect(am.minutesLate(arrivingAt: time) == minutes)
    }

    @Test func timesParseStrictly() {
        #expect(TimeOfDay(text: "9:05")?.description == "09:05")
        #expect(TimeOfDay(text: "24:00") == nil)
        #expect(TimeOfDay(text: "09:5") == nil)
        #expect(RegisterTimes(start: TimeOfDay(text: "09:00")!, close: TimeOfDay(text: "08:00")!) == nil)
    }

    @Test func laestabParsesSevenDigits() {
        #expect(LAESTAB(text: "6652001") == LAESTAB(la: 665, estab: 2001))
        #expect(LAESTAB(text: "665/2001")?.description == "6652001")
        #expect(LAESTAB(text: "66520") == nil)
        #expect(LAESTAB(la: 665, estab: 42).description == "6650042")
    }
}

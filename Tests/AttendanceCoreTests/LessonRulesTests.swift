import AttendanceCore
import Testing

@Suite struct LessonRulesTests {
    let alys = UPN.make(la: 665, estab: 4001, year: 25, serial: 1)
    let cai = UPN.make(la: 665, estab: 4001, year: 25, serial: 3)
    func time(_ text: String) -> TimeOfDay { TimeOfDay(text: text)! }

    @Test func aLessonRegisterIsOpenFromItsStartUntilItsEndAndTheGrace() {
        let (start, end) = (time("11:05"), time("12:05"))
        #expect(!LessonRules.isOpen(start: start, end: end, now: time("11:04"), graceMinutes: 30))
        #expect(LessonRules.isOpen(start: start, end: end, now: time("11:05"), graceMinutes: 30))
        #expect(LessonRules.isOpen(start: start, end: end, now: time("12:35"), graceMinutes: 30))
        #expect(!LessonRules.isOpen(start: start, end: end, now: time("12:36"), graceMinutes: 30))
        #expect(!LessonRules.isOpen(start: start, end: end, now: time("12:06"), graceMinutes: 0))
    }

    @Test func marksAreTheClassesOnceAndMinutesOnlyForLateWithinTheLesson() throws {
        let (start, end) = (time("11:05"), time("12:05"))
        let both: Set<UPN> = [alys, cai]
        try LessonRules.check(
            [LessonMark(upn: alys, code: .late, minutesLate: 60), LessonMark(upn: cai, code: .educationalVisit)],
            classList: both, start: start, end: end)
        #expect(throws: LessonRules.Problem.minutes(alys)) {
            try LessonRules.check(
                [LessonMark(upn: alys, code: .late, minutesLate: 61)], classList: both, start: start, end: end)
        }
        #expect(throws: LessonRules.Problem.minutes(alys)) {
            try LessonRules.check([LessonMark(upn: alys, code: .late)], classList: both, start: start, end: end)
        }
        #expect(throws: LessonRules.Problem.minutes(cai)) {
            try LessonRules.check(
                [LessonMark(upn: cai, code: .present, minutesLate: 5)], classList: both, start: start, end: end)
        }
        #expect(throws: LessonRules.Problem.twice(cai)) {
            try LessonRules.check(
                [LessonMark(upn: cai, code: .present), LessonMark(upn: cai, code: .absent)], classList: both,
                start: start, end: end)
        }
        #expect(throws: LessonRules.Problem.notInClass(cai)) {
            try LessonRules.check([LessonMark(upn: cai, code: .present)], classList: [alys], start: start, end: end)
        }
    }

    @Test func aLessonBelongsToTheAfternoonOnceItsRegisterHasStarted() {
        #expect(LessonRules.half(of: time("13:29"), afternoonStarts: time("13:30")) == .am)
        #expect(LessonRules.half(of: time("13:30"), afternoonStarts: time("13:30")) == .pm)
    }
}

extension ProcedureEngine {
    /// What a run needs to know of a school's calendar on a day, worked out once and shared by its pupils:
    /// the school days of the year so far, the days before each break, the term, the no-contact window.
    /// A class: every pupil's pass holds the school's one copy.
    public final class Days: Sendable {
        public let asOf: LocalDate
        /// Offsets from the year's first day of each school day from then through `asOf`, in order.
        let schoolDayOffsets: [Int]
        /// For each break of the calendar begun by `asOf`, the offsets of the school days just before it.
        let preHolidayWindows: [[Int]]
        let term: CalendarEntry?
        /// School days from `asOf` (itself included) until the next break of the calendar starts; nil if none.
        let schoolDaysToNextBreak: Int?

        public init(calendar: SchoolCalendar, year: AcademicYear, asOf: LocalDate, policy: Policy) {
            self.asOf = asOf
            let days = DateRange(year.firstDay, asOf).map(calendar.schoolDays(in:)) ?? []
            schoolDayOffsets = days.map { year.firstDay.days(until: $0) }
            // Before each break of the calendar (a term's end, a half-term) that has begun by the day.
            preHolidayWindows = calendar.breakStarts.filter { $0 > year.firstDay && $0 <= asOf }.map { start in
                calendar.schoolDays(policy.preHolidaySchoolDays, before: start).map { year.firstDay.days(until: $0) }
            }.filter { !$0.isEmpty }
            term = calendar.term(containing: asOf)
            schoolDaysToNextBreak = calendar.schoolDaysToNextBreak(from: asOf)
            firstDay = year.firstDay
            dates = (0...max(0, year.firstDay.days(until: asOf))).map(year.firstDay.adding(days:))
        }

        let firstDay: LocalDate
        /// Each day of the year from its first through `asOf`, by offset: a session's date without date arithmetic.
        let dates: [LocalDate]

        /// The session at a slot of the year's compact string.
        func session(_ slot: Int) -> SchoolSession {
            let day = slot / 2
            let date = day < dates.count ? dates[day] : firstDay.adding(days: day)
            return SchoolSession(date, slot % 2 == 0 ? .am : .pm)
        }

        /// Marks on days up to `asOf` only: the first slot after it, within a year of `count` slots.
        func slotLimit(_ count: Int) -> Int { max(0, min(count, (firstDay.days(until: asOf) + 1) * 2)) }

        /// School days after the slot's day up to and including `asOf`.
        func schoolDays(afterSlot slot: Int) -> Int {
            schoolDayOffsets.count - schoolDayOffsets.firstIndex(notBelow: slot / 2 + 1)
        }
    }
}

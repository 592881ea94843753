import AttendanceCore

/// A synthetic local authority for demonstrations and tests: deterministic for a seed, realistic enough to
/// exercise every rule (winter illness, persistent absentees, lateness before and after close, agreed and
/// unagreed holidays, absence before holidays, pupils joining and leaving mid-year, Welsh and English homes).
public struct DemoAuthority: Sendable {
    public struct Options: Sendable {
        public var schools: Int
        public var pupilsPerSchool: Int
        /// Marks are made for every session before this day; its own registers are left to be taken.
        public var until: LocalDate
        public var seed: UInt64

        /// Most pupils a demo school may have: UPN serials are three digits per year group.
        public static let maxPupilsPerSchool = 5000

        public init(schools: Int = 3, pupilsPerSchool: Int = 300, until: LocalDate, seed: UInt64 = 1) {
            self.schools = schools
            self.pupilsPerSchool = pupilsPerSchool
            self.until = until
            self.seed = seed
        }
    }

    public struct SchoolData: Sendable {
        public let school: School
        public let insetDays: [CalendarEntry]
        public let pupils: [ImportParser.PupilRow]
        public let contacts: [ImportParser.ContactRow]
        /// Marks as first recorded at the register.
        public let marks: [Mark]
        /// Later corrections (a parent's reason for an N), each applied as an amendment with its reason.
        public let corrections: [(mark: Mark, reason: String)]
    }

    public static let laNumber = 665
    public static let laName = "Wrexham County Borough Council (demo)"

    public let options: Options
    public let years: [AcademicYear]
    public let termDates: [CalendarEntry]
    public let schools: [SchoolData]

    public var markCount: Int { schools.reduce(0) { $0 + $1.marks.count } }

    public init(options: Options) {
        self.options = options
        let current = options.until.academicYear
        years = [current.previous, current]
        termDates = years.flatMap(WelshTermDates.entries(for:))
        var random = SplitMix64(seed: options.seed)
        var schools: [SchoolData] = []
        for index in 0..<options.schools {
            schools.append(
                Self.makeSchool(index: index, options: options, years: years, termDates: termDates, random: &random))
        }
        self.schools = schools
    }

    static let primaryNames = [
        "Ysgol Gynradd Bryn Derw", "Ysgol Maes y Llan", "Acton Park Primary (demo)", "Ysgol Pen y Garth",
        "Borras Lane Primary (demo)", "Ysgol Gwenfro (demo)",
    ]
    static let secondaryNames = [
        "Ysgol Uwchradd Glan Alyn", "Bryn Collen High School (demo)", "Ysgol Clywedog (demo)", "Ysgol Rhiwabon (demo)",
    ]

    /// One school to make: its phase, its size, and whether last year's leavers and last year's marks are made.
    public struct SchoolPlan: Sendable, Hashable {
        public var secondary: Bool
        public var pupils: Int
        /// Last year's leavers and the previous year's marks (the demo); a benchmark makes one year only.
        public var previousYear: Bool

        public init(secondary: Bool, pupils: Int, previousYear: Bool = true) {
            self.secondary = secondary
            self.pupils = pupils
            self.previousYear = previousYear
        }
    }

    static func makeSchool(
        index: Int, options: Options, years: [AcademicYear], termDates: [CalendarEntry], random: inout SplitMix64
    ) -> SchoolData {
        makeSchool(
            index: index, plan: SchoolPlan(secondary: index % 3 == 0, pupils: options.pupilsPerSchool),
            until: options.until, years: years, termDates: termDates, random: &random)
    }

    /// One school's pupils, contacts and marks, deterministic for the random state given.
    public static func makeSchool(
        index: Int, plan: SchoolPlan, until: LocalDate, years: [AcademicYear], termDates: [CalendarEntry],
        random: inout SplitMix64
    ) -> SchoolData {
        let secondary = plan.secondary
        let names = secondary ? secondaryNames : primaryNames
        let nameIndex = max(0, secondary ? index / 3 : index - index / 3 - 1)
        let name = names[nameIndex % names.count] + (nameIndex >= names.count ? " \(nameIndex / names.count + 1)" : "")
        let estab = (secondary ? 4000 : 2000) + index + 1
        func times(_ start: String, _ close: String) -> RegisterTimes {
            RegisterTimes(
                start: TimeOfDay(text: start) ?? .midnight, closingNotBefore: TimeOfDay(text: close) ?? .midnight)
        }
        let school = School(
            laNumber: laNumber, estabNumber: estab, name: name, phase: secondary ? .secondary : .primary,
            am: secondary ? times("08:45", "09:15") : times("08:55", "09:25"),
            pm: secondary ? times("13:30", "13:45") : times("13:15", "13:30"),
            eswArea: index % 3 + 1)
        let inset = years.flatMap(WelshTermDates.insetDays(for:))
        let calendar = SchoolCalendar(entries: termDates + inset)
        let yearGroups = secondary ? Array(7...11) : Array(1...6)
        let current = until.academicYear
        var generator = PupilGenerator(
            school: school, calendar: calendar, current: current, until: until, random: random,
            marksFrom: plan.previousYear ? current.previous.firstDay : current.firstDay)
        let perCohort = max(1, min(plan.pupils, Options.maxPupilsPerSchool) / yearGroups.count)
        for (cohort, yearGroup) in yearGroups.enumerated() {
            let groups = max(1, (perCohort + 29) / 30)
            for serial in 0..<perCohort {
                generator.addPupil(
                    yearGroup: yearGroup,
                    group: "\(yearGroup)\(["A", "B", "C", "D", "E", "F"][serial % min(groups, 6)])",
                    firstYearGroup: yearGroups[0], serial: cohort * 1000 + serial, leaver: false)
            }
        }
        // Last year's leavers: on roll for the previous year only.
        let last = yearGroups[yearGroups.count - 1]
        for serial in 0..<(plan.previousYear ? perCohort : 0) {
            generator.addPupil(
                yearGroup: last, group: "\(last)L", firstYearGroup: yearGroups[0], serial: 9000 + serial, leaver: true)
        }
        random = generator.random
        return SchoolData(
            school: school, insetDays: inset, pupils: generator.pupils, contacts: generator.contacts,
            marks: generator.marks, corrections: generator.corrections)
    }
}

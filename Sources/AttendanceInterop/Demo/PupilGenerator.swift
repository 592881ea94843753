import AttendanceCore

/// Makes one school's pupils, contacts and marks for the demo authority.
struct PupilGenerator {
    let school: School
    let calendar: SchoolCalendar
    let current: AcademicYear
    let until: LocalDate
    var random: SplitMix64
    var pupils: [ImportParser.PupilRow] = []
    var contacts: [ImportParser.ContactRow] = []
    var marks: [Mark] = []
    var corrections: [(mark: Mark, reason: String)] = []

    init(
        school: School, calendar: SchoolCalendar, current: AcademicYear, until: LocalDate, random: SplitMix64,
        marksFrom first: LocalDate
    ) {
        self.school = school
        self.calendar = calendar
        self.current = current
        self.until = until
        self.random = random
        // School days of both years before `until`, with the number of school days to the next holiday.
        schoolDays = calendar.schoolDays(in: DateRange(start: first, notBefore: until.adding(days: -1)))
        var toHoliday: [Int] = Array(repeating: 99, count: schoolDays.count)
        for index in schoolDays.indices.reversed() {
            let next = index + 1 < schoolDays.count ? schoolDays[index + 1] : nil
            if let next, next.days(until: schoolDays[index]) >= -3 {
                toHoliday[index] = min(99, toHoliday[index + 1] + 1)
            } else {
                toHoliday[index] = 0
            }
        }
        daysToHoliday = toHoliday
    }

    let schoolDays: [LocalDate]
    /// 0 on the last school day before a break of more than a weekend.
    let daysToHoliday: [Int]

    static let girls = [
        "Alys", "Cerys", "Ffion", "Gwen", "Lowri", "Mali", "Nia", "Seren", "Elin", "Megan", "Olivia", "Amelia", "Isla",
        "Ava", "Freya", "Lily", "Sophie", "Grace", "Ela", "Mabli", "Siân", "Anwen",
    ]
    static let boys = [
        "Dylan", "Osian", "Rhys", "Gethin", "Iwan", "Macsen", "Tomos", "Llŷr", "Ianto", "Harri", "Noah", "Oliver",
        "George", "Leo", "Jack", "Charlie", "Jacob", "Aled", "Siôn", "Emrys", "Gruffydd", "Ifan",
    ]
    /// The names a child is often known by, for the demo's preferred forenames (most have none).
    static let shortForms = [
        "Gruffydd": "Gruff", "Oliver": "Ollie", "Jacob": "Jake", "Amelia": "Millie", "Olivia": "Liv",
        "Megan": "Meg", "Gethin": "Geth",
    ]
    static let surnames = [
        "Jones", "Williams", "Davies", "Evans", "Thomas", "Roberts", "Hughes", "Lewis", "Morgan", "Griffiths",
        "Edwards", "Owen", "Price", "Pritchard", "Parry", "Lloyd", "Vaughan", "ap Dafydd", "Rowlands", "Ellis",
        "Smith", "Taylor", "Brown", "Wilson", "Kowalski", "Nowak", "Khan", "Patel", "Ŵyn", "Prys",
    ]
    static let streets = [
        "Ffordd y Parc", "Stryt Fawr", "Heol y Bryn", "Lôn Goed", "Rhodfa'r Castell", "Chester Road", "Ruabon Road",
        "Maes y Dre",
    ]

    mutating func pick<T>(_ items: [T]) -> T { items[Int(random.next() % UInt64(items.count))] }

    mutating func addPupil(yearGroup: Int, group: String, firstYearGroup: Int, serial: Int, leaver: Bool) {
        // Academic year in which the pupil is (or was) in `yearGroup`.
        let yearOfGroup = leaver ? current.previous : current
        // Year 7 pupils were born in the academic year 12 years before; Year 1, 6 years before.
        let birthYear = AcademicYear(startYear: yearOfGroup.startYear - yearGroup - 5)
        let dob = birthYear.firstDay.adding(days: Int(random.next() % UInt64(birthYear.dayCount)))
        // The UPN's year digits are the year the pupil joined, so serials need only be unique per cohort.
        let upn = UPN.make(
            la: school.laNumber, estab: school.estabNumber, year: yearOfGroup.startYear - (yearGroup - firstYearGroup),
            serial: serial % 1000)
        let female = random.chance(0.5)
        let forename = pick(female ? Self.girls : Self.boys)
        let surname = pick(Self.surnames)
        // On roll since the September they joined the school, or mid-year for a few.
        let joinedYear = AcademicYear(startYear: yearOfGroup.startYear - (yearGroup - firstYearGroup))
        var from = calendar.terms.first { $0.range.start >= joinedYear.firstDay }?.range.start ?? joinedYear.firstDay
        var to: LocalDate? = nil
        var reason: String? = nil
        if leaver {
            to = CompulsorySchoolAge(dateOfBirth: dob).ends
            if yearGroup < 11 { to = calendar.terms.last { $0.range.end <= current.previous.lastDay }?.range.end }
            reason = (yearGroup >= 11 ? RemovalGround.compulsoryAgeEnded : .admittedElsewhere).rawValue
        } else if random.chance(0.03), schoolDays.count > 40 {
            from = schoolDays[schoolDays.count / 2 + Int(random.next() % UInt64(schoolDays.count / 2))]
        } else if random.chance(0.02), schoolDays.count > 40 {
            to = schoolDays[schoolDays.count / 2 + Int(random.next() % UInt64(schoolDays.count / 2))]
            reason = RemovalGround.admittedElsewhere.rawValue
        }
        let pupil = Pupil(
            upn: upn, legalSurname: surname, legalForename: forename,
            preferredForename: random.chance(0.3) ? Self.shortForms[forename] : nil, dateOfBirth: dob,
            sex: female ? .female : .male, yearGroup: String(yearGroup), registrationGroup: group,
            freeSchoolMeals: random.chance(0.2), lookedAfter: random.chance(0.01),
            additionalLearningNeeds: random.chance(0.1))
        pupils.append(ImportParser.PupilRow(pupil: pupil, onRollFrom: from, onRollTo: to, leavingReason: reason))
        addContacts(for: pupil)
        addMarks(for: upn, from: from, to: to)
    }

    mutating func addContacts(for pupil: Pupil) {
        let languageRoll = random.unit()
        let language: LanguagePreference = languageRoll < 0.3 ? .cy : languageRoll < 0.8 ? .en : .both
        let address =
            "\(1 + random.next() % 120) \(pick(Self.streets)), Wrecsam LL1\(1 + random.next() % 4) \(1 + random.next() % 9)AB"
        let parents = random.chance(0.6) ? ["Mother", "Father"] : [pick(["Mother", "Father", "Grandmother", "Carer"])]
        for (index, relationship) in parents.enumerated() {
            let forename =
                relationship == "Father"
                ? pick(["Gareth", "Dafydd", "Mark", "Paul", "Huw"])
                : pick(["Sian", "Catrin", "Claire", "Emma", "Bethan"])
            let phone = "07700 900\(String(100 + random.next() % 900))"
            // Some separated parents live apart: each has their own address and may prefer another language.
            let apart = index == 1 && random.chance(0.15)
            contacts.append(
                ImportParser.ContactRow(
                    upn: pupil.upn,
                    contact: Contact(
                        name: "\(forename) \(pupil.legalSurname)", relationship: relationship,
                        parentalResponsibility: relationship != "Grandmother", priority: index + 1, phone: nil,
                        mobile: phone, email: "\(forename.lowercased()).\(pupil.upn.value.lowercased())@example.org",
                        address: apart ? "Flat \(1 + random.next() % 20), \(pick(Self.streets)), Wrecsam" : address,
                        language: apart ? pick([.cy, .en, .both]) : language)))
        }
    }

    /// The pupil's pattern: a base chance of absence, raised in winter, with spells of illness, lateness,
    /// term-time holidays and, for a few, absence in the days before holidays.
    mutating func addMarks(for upn: UPN, from: LocalDate, to: LocalDate?) {
        let kind = random.unit()
        let persistent = kind < 0.06
        let base =
            persistent ? 0.08 + random.unit() * 0.2 : kind < 0.3 ? 0.02 + random.unit() * 0.05 : random.unit() * 0.02
        let lateness = random.chance(0.1) ? 0.05 + random.unit() * 0.1 : 0.01
        let holidayIndex = random.chance(0.08) ? Int(random.next() % UInt64(max(1, schoolDays.count))) : -1
        let holidayAgreed = random.chance(0.5)
        var illRemaining = 0
        var illCode = "I"
        let lastDay = until.adding(days: -1)
        for (index, date) in schoolDays.enumerated() {
            guard date >= from, to.map({ date <= $0 }) ?? true, date <= lastDay else { continue }
            let winter = [12, 1, 2].contains(date.month) ? 2.0 : 1.0
            var am = "/", pm = "\\"
            var amLate: Int? = nil
            var note: String? = nil
            if holidayIndex >= 0, index >= holidayIndex, index < holidayIndex + 5 {
                am = holidayAgreed ? "H" : "G"
                pm = am
            } else if illRemaining > 0 {
                illRemaining -= 1
                am = illCode
                pm = illCode
            } else if random.chance(base * winter * 0.5) {
                illRemaining = Int(random.next() % 3)
                illCode = persistent && random.chance(0.5) ? "O" : "I"
                am = illCode
                pm = illCode
            } else if persistent && daysToHoliday[index] <= 1 && random.chance(0.6) {
                am = "O"
                pm = "O"
            } else if random.chance(0.004) {
                am = "M"
                note = "Dentist"
            } else if random.chance(lateness) {
                let minutes = 5 + Int(random.next() % 40)
                let closes = school.am.close.minutesSinceMidnight - school.am.start.minutesSinceMidnight
                am = minutes <= closes ? "L" : "U"
                amLate = minutes
            } else if random.chance(0.002) {
                am = "V"
                pm = "V"
            }
            // The last ten school days' absences have no reason yet (N); older ones were mostly explained.
            let recent = schoolDays.count - index <= 10
            for (half, code) in [(SessionHalf.am, am), (.pm, pm)] {
                let session = SchoolSession(date, half)
                let minutes = half == .am ? amLate : nil
                let mark = Mark(
                    upn: upn, session: session, code: code, minutesLate: minutes, note: half == .am ? note : nil)
                if code == "I" && recent {
                    marks.append(Mark(upn: upn, session: session, code: "N"))
                } else if code == "I" && random.chance(0.3) {
                    // Marked N at the register, then a parent phoned: the correction is an amendment.
                    marks.append(Mark(upn: upn, session: session, code: "N"))
                    corrections.append((mark, "Parent phoned: illness"))
                } else {
                    marks.append(mark)
                }
            }
        }
    }
}

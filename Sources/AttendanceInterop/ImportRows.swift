import AttendanceCore

/// The CSV formats `attendance import` reads. Each parser checks the header and every field, and returns
/// typed rows with their line numbers, or every problem in the file. Checks that need the database
/// (does the pupil exist, is the date a school day) are the store's, with the same line numbers.
public enum ImportFormat: String, Sendable, CaseIterable {
    case schools, calendar, pupils, contacts, marks
    /// A school's timetable (issue 38), and its classes' pupils.
    case timetable, classes
    /// Lesson registers already taken elsewhere (a term's, from the school's previous system).
    case lessonMarks

    public var requiredColumns: [String] {
        switch self {
        case .schools: return ["la", "estab", "name", "phase", "am_start", "am_close", "pm_start", "pm_close"]
        case .calendar: return ["kind", "start", "end", "name"]
        case .pupils:
            return [
                "upn", "surname", "forename", "dob", "sex", "year_group", "registration_group", "fsm", "lac",
                "on_roll_from",
            ]
        case .contacts: return ["upn", "name", "relationship", "priority"]
        case .marks: return ["upn", "date", "session", "code", "minutes_late"]
        case .timetable: return ["class", "subject", "day", "period", "start", "end", "teacher"]
        case .classes: return ["class", "upn"]
        case .lessonMarks: return ["date", "class", "period", "upn", "code"]
        }
    }

    public var optionalColumns: [String] {
        switch self {
        case .schools: return ["esw_area"]
        case .calendar: return []
        case .pupils:
            return ["preferred_surname", "preferred_forename", "aln", "on_roll_to", "leaving_reason", "new_laestab"]
        case .contacts:
            return ["parental_responsibility", "phone", "mobile", "email", "address", "language", "lives_with_pupil"]
        case .marks: return ["note"]
        case .timetable: return ["room"]
        case .classes: return []
        case .lessonMarks: return ["minutes_late", "taken_by"]
        }
    }
}

/// A value read from a file, with the line it came from (0 for values made by the program).
public struct Numbered<Value: Sendable>: Sendable {
    public let line: Int
    public let value: Value

    public init(line: Int, value: Value) {
        self.line = line
        self.value = value
    }
}

extension Numbered: Equatable where Value: Equatable {}

public enum ImportParser {
    public static func schools(_ text: String) throws(ImportProblems) -> [Numbered<School>] {
        let format = ImportFormat.schools
        let table = try Table(csv: text, required: format.requiredColumns, optional: format.optionalColumns)
        return try table.rows { row in
            let la = row.int("la", in: 100...999)
            let estab = row.int("estab", in: 0...9999)
            let name = row.required("name")
            let phase = row.choice("phase", School.Phase.self)
            let amStart = row.time("am_start"), amClose = row.time("am_close")
            let pmStart = row.time("pm_start"), pmClose = row.time("pm_close")
            let area = row.optionalText("esw_area") == nil ? nil : row.int("esw_area", in: 1...99)
            guard let la, let estab, let name, let phase, let amStart, let amClose, let pmStart, let pmClose else {
                return nil
            }
            guard let am = RegisterTimes(start: amStart, close: amClose) else {
                row.fail("am_close", "the morning register closes before it starts")
                return nil
            }
            guard let pm = RegisterTimes(start: pmStart, close: pmClose) else {
                row.fail("pm_close", "the afternoon register closes before it starts")
                return nil
            }
            guard pmStart > amClose else {
                row.fail("pm_start", "the afternoon starts before the morning register closes")
                return nil
            }
            return Numbered(
                line: row.line,
                value: School(
                    laNumber: la, estabNumber: estab, name: name, phase: phase, am: am, pm: pm, eswArea: area))
        }
    }

    public static func calendar(_ text: String) throws(ImportProblems) -> [Numbered<CalendarEntry>] {
        let format = ImportFormat.calendar
        let table = try Table(csv: text, required: format.requiredColumns, optional: format.optionalColumns)
        return try table.rows { row in
            let kind = row.choice("kind", CalendarEntryKind.self)
            let start = row.date("start"), end = row.date("end")
            let name = row.required("name")
            guard let kind, let start, let end, let name else { return nil }
            guard let range = DateRange(start, end) else {
                row.fail("end", "\(end) is before the start \(start)")
                return nil
            }
            guard range.dayCount <= 366 else {
                row.fail("end", "a calendar entry cannot be longer than a year")
                return nil
            }
            return Numbered(line: row.line, value: CalendarEntry(kind: kind, range: range, name: name))
        }
    }

    public struct PupilRow: Sendable, Hashable {
        public let pupil: Pupil
        public let onRollFrom: LocalDate
        public let onRollTo: LocalDate?
        public let leavingReason: String?
        /// The school a leaver was admitted to, when the file says.
        public let newSchool: LAESTAB?

        public init(
            pupil: Pupil, onRollFrom: LocalDate, onRollTo: LocalDate?, leavingReason: String?, newSchool: LAESTAB? = nil
        ) {
            self.pupil = pupil
            self.onRollFrom = onRollFrom
            self.onRollTo = onRollTo
            self.leavingReason = leavingReason
            self.newSchool = newSchool
        }
    }

    public static func pupils(_ text: String) throws(ImportProblems) -> [Numbered<PupilRow>] {
        let format = ImportFormat.pupils
        let table = try Table(csv: text, required: format.requiredColumns, optional: format.optionalColumns)
        return try table.rows { row in
            let upn = row.upn()
            let surname = row.required("surname"), forename = row.required("forename")
            let dob = row.date("dob")
            let sexText = row.text("sex")
            let sex = Sex(text: sexText)
            if sex == nil { row.fail("sex", "'\(sexText)' is not F, M or U") }
            let yearGroup = row.required("year_group"), group = row.required("registration_group")
            let fsm = row.bool("fsm"), lac = row.bool("lac"), aln = row.bool("aln")
            let from = row.date("on_roll_from")
            let to = row.optionalDate("on_roll_to")
            let newSchoolText = row.optionalText("new_laestab")
            let newSchool = newSchoolText.flatMap { LAESTAB(text: $0) }
            if let newSchoolText, newSchool == nil {
                row.fail("new_laestab", "'\(newSchoolText)' is not a seven-digit LAESTAB")
            }
            guard let upn, let surname, let forename, let dob, let sex, let yearGroup, let group, let fsm, let lac,
                let aln, let from, let to
            else { return nil }
            if let to, to < from {
                row.fail("on_roll_to", "\(to) is before on_roll_from \(from)")
                return nil
            }
            if dob >= from {
                row.fail("dob", "\(dob) is not before on_roll_from \(from)")
                return nil
            }
            let pupil = Pupil(
                upn: upn, legalSurname: surname, legalForename: forename,
                preferredSurname: row.optionalText("preferred_surname"),
                preferredForename: row.optionalText("preferred_forename"), dateOfBirth: dob, sex: sex,
                yearGroup: yearGroup, registrationGroup: group, freeSchoolMeals: fsm, lookedAfter: lac,
                additionalLearningNeeds: aln)
            return Numbered(
                line: row.line,
                value: PupilRow(
                    pupil: pupil, onRollFrom: from, onRollTo: to, leavingReason: row.optionalText("leaving_reason"),
                    newSchool: newSchool))
        }
    }

    public struct ContactRow: Sendable, Hashable {
        public let upn: UPN
        public let contact: Contact

        public init(upn: UPN, contact: Contact) {
            self.upn = upn
            self.contact = contact
        }
    }

    public static func contacts(_ text: String) throws(ImportProblems) -> [Numbered<ContactRow>] {
        let format = ImportFormat.contacts
        let table = try Table(csv: text, required: format.requiredColumns, optional: format.optionalColumns)
        return try table.rows { row in
            let upn = row.upn()
            let name = row.required("name"), relationship = row.required("relationship")
            let priority = row.int("priority", in: 1...99)
            let responsibility = row.bool("parental_responsibility")
            let livesWith = row.optionalText("lives_with_pupil") == nil ? nil : row.bool("lives_with_pupil")
            var language: LanguagePreference? = .both  // unknown preference: both languages, Welsh first
            if row.optionalText("language") != nil { language = row.choice("language", LanguagePreference.self) }
            let email = row.optionalText("email")
            if let email, !email.contains("@") { row.fail("email", "'\(email)' is not an email address") }
            guard let upn, let name, let relationship, let priority, let responsibility, let language else {
                return nil
            }
            let contact = Contact(
                name: name, relationship: relationship, parentalResponsibility: responsibility, priority: priority,
                phone: row.optionalText("phone"), mobile: row.optionalText("mobile"), email: email,
                address: row.optionalText("address"), language: language, livesWithPupil: livesWith)
            return Numbered(line: row.line, value: ContactRow(upn: upn, contact: contact))
        }
    }

    /// Reads marks against a code table (an unknown code is a problem of its line).
    public static func marks(_ text: String, codes: CodeTable) throws(ImportProblems) -> [Numbered<Mark>] {
        let format = ImportFormat.marks
        let table = try Table(csv: text, required: format.requiredColumns, optional: format.optionalColumns)
        // Which line gave each pupil's session, a school year per pupil at a time: a file runs pupil by pupil, so most
        // rows find their pupil's year without a look-up.
        struct PupilYear: Hashable {
            let upn: UPN
            let year: Int
        }
        var lines: [PupilYear: [Int32]] = [:]
        var current: (key: PupilYear, lines: [Int32])? = nil
        var duplicates: [ImportProblem] = []
        let rows: [Numbered<Mark>]
        do {
            // A file of marks runs pupil by pupil and day by day: the last UPN and date read serve the next rows.
            var lastUPN: (text: String, upn: UPN)? = nil
            var lastDate: (text: String, date: LocalDate)? = nil
            var lastCode: AttendanceCode? = nil
            rows = try table.rows { (row: inout RowReader) -> Numbered<Mark>? in
                let upnText = row.text("upn")
                let upn = upnText == lastUPN?.text ? lastUPN?.upn : row.upn()
                if let upn { lastUPN = (upnText, upn) }
                let dateText = row.text("date")
                let date = dateText == lastDate?.text ? lastDate?.date : row.date("date")
                if let date { lastDate = (dateText, date) }
                let sessionText = row.text("session")
                let half = SessionHalf(text: sessionText)
                if half == nil { row.fail("session", "'\(sessionText)' is not AM or PM") }
                let codeText = row.text("code")
                let code = codeText == lastCode?.code ? lastCode : codes[codeText]
                lastCode = code ?? lastCode
                if code == nil { row.fail("code", "'\(codeText)' is not a code in the \(codes.name) table") }
                let minutes = row.optionalInt("minutes_late", in: 0...600)
                guard let upn, let date, let half, let code, let minutes else { return nil }
                let isLate = code.isLate
                if minutes != nil, !isLate {
                    row.fail("minutes_late", "only a late code (\(lateCodes(codes))) has minutes late")
                    return nil
                }
                if minutes == nil, isLate {
                    row.fail("minutes_late", "a late code (\(code.code)) needs the minutes late")
                    return nil
                }
                let session = SchoolSession(date, half)
                let key = PupilYear(upn: upn, year: date.academicYear.startYear)
                var held: (key: PupilYear, lines: [Int32])
                if let current, current.key == key {
                    held = current
                } else {
                    if let current { lines[current.key] = current.lines }
                    held = (
                        key,
                        lines.removeValue(forKey: key)
                            ?? Array(repeating: 0, count: date.academicYear.sessionSlotCount)
                    )
                }
                current = nil  // held alone while it changes, so the array is not copied
                let slot = session.slotInAcademicYear
                if held.lines[slot] != 0 {
                    duplicates.append(
                        ImportProblem(line: row.line, "\(upn) \(session) is already on line \(held.lines[slot])"))
                } else {
                    held.lines[slot] = Int32(clamping: row.line)
                }
                current = held
                return Numbered(
                    line: row.line,
                    value: Mark(
                        upn: upn, session: session, code: code.code, minutesLate: minutes,
                        note: row.optionalText("note")))
            }
        } catch {
            throw ImportProblems(error.problems + duplicates)
        }
        guard duplicates.isEmpty else { throw ImportProblems(duplicates) }
        return rows
    }

    static func lateCodes(_ codes: CodeTable) -> String {
        codes.codes.filter(\.isLate).map(\.code).joined(
            separator: ", ")
    }
}

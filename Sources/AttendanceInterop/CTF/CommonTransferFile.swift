import AttendanceCore

/// A Common Transfer File (DOMAIN.md section 11): the record that travels with a pupil between schools in Wales and
/// England. The parts this system reads and writes: the header's schools and date, and for each pupil their
/// identity, year group, free school meals and looked-after history, additional learning needs, contacts, address,
/// Welsh-language details and attendance, year by year and school by school.
public struct CommonTransferFile: Sendable, Hashable {
    /// A school as a CTF names it: its LA and establishment numbers and name.
    public struct School: Sendable, Hashable {
        public var la: Int
        public var estab: Int
        public var name: String

        public init(la: Int, estab: Int, name: String) { (self.la, self.estab, self.name) = (la, estab, name) }

        public var laestab: LAESTAB { LAESTAB(la: la, estab: estab) }
    }

    public struct Header: Sendable, Hashable {
        public var version: String
        /// When the file was made, as written (`2026-11-25T10:00:00`).
        public var dateTime: String
        /// `full` or `partial`.
        public var qualifier: String
        public var source: School
        /// Nil when the new school is not known (a CTF allows it: the file is held for the Education Lead).
        public var destination: School?
        /// The school year the file was made in, by its starting year.
        public var academicYear: Int

        public init(
            version: String, dateTime: String, qualifier: String, source: School, destination: School?,
            academicYear: Int
        ) {
            (self.version, self.dateTime, self.qualifier, self.source, self.destination, self.academicYear) =
                (version, dateTime, qualifier, source, destination, academicYear)
        }
    }

    /// A spell (free school meals, looked after) with its first day and, once over, its last.
    public struct Spell: Sendable, Hashable {
        public var start: LocalDate
        public var end: LocalDate?

        public init(start: LocalDate, end: LocalDate?) { (self.start, self.end) = (start, end) }
    }

    public struct Phone: Sendable, Hashable {
        /// The CTF's telephone type (`H` home, `M` mobile, `W` work).
        public var type: String
        public var number: String

        public init(type: String, number: String) { (self.type, self.number) = (type, number) }
    }

    public struct Contact: Sendable, Hashable {
        public var order: Int
        public var title: String
        public var surname: String
        public var forename: String
        /// The CTF's relationship code (`PAM` mother, `PAF` father, `CAR` carer, …), as written.
        public var relationship: String
        public var parentalResponsibility: Bool
        public var phones: [Phone]
        public var email: String
        /// The language the contact wants letters in (`NAWdetails`' Welsh-language preference), when given.
        public var language: LanguagePreference?

        public init(
            order: Int, title: String, surname: String, forename: String, relationship: String,
            parentalResponsibility: Bool, phones: [Phone], email: String, language: LanguagePreference?
        ) {
            (self.order, self.title, self.surname, self.forename, self.relationship) =
                (order, title, surname, forename, relationship)
            (self.parentalResponsibility, self.phones, self.email, self.language) =
                (parentalResponsibility, phones, email, language)
        }
    }

    /// A year's attendance at one school: its totals, and (optionally) its marks from a start day, two characters
    /// a day (morning then afternoon), `#` for a day not in session.
    public struct YearData: Sendable, Hashable {
        public var year: Int
        public var school: School
        public var possible: Int
        public var authorised: Int
        public var attended: Int
        public var unauthorised: Int
        public var marksFrom: LocalDate?
        public var marks: String?

        public init(
            year: Int, school: School, possible: Int, authorised: Int, attended: Int, unauthorised: Int,
            marksFrom: LocalDate?, marks: String?
        ) {
            (self.year, self.school, self.possible, self.authorised, self.attended, self.unauthorised) =
                (year, school, possible, authorised, attended, unauthorised)
            (self.marksFrom, self.marks) = (marksFrom, marks)
        }

        /// Each day's two marks from `marksFrom`, with its date; a day written `##` (not in session) is left out,
        /// and a lone `#` half (a session not held) gives no mark for that half.
        public var days: [(date: LocalDate, am: String?, pm: String?)] {
            guard let marksFrom, let marks else { return [] }
            let characters = Array(marks)
            var result: [(LocalDate, String?, String?)] = []
            var index = 0
            var day = marksFrom
            while index + 1 < characters.count {
                let am = characters[index] == "#" ? nil : String(characters[index])
                let pm = characters[index + 1] == "#" ? nil : String(characters[index + 1])
                if am != nil || pm != nil { result.append((day, am, pm)) }
                index += 2
                day = day.adding(days: 1)
            }
            return result
        }
    }

    public struct Pupil: Sendable, Hashable {
        public var upn: UPN
        public var formerUPN: UPN?
        public var surname: String
        public var forename: String
        public var preferredSurname: String?
        public var preferredForename: String?
        public var dateOfBirth: LocalDate
        public var sex: Sex
        public var yearGroup: String?
        public var freeSchoolMeals: [Spell]
        public var lookedAfter: [Spell]
        public var additionalLearningNeeds: Bool
        public var contacts: [Contact]
        /// The address's lines, as written.
        public var address: [String]
        /// The pupil's own Welsh-language details, as written (`NAWdetails`' elements by name).
        public var welsh: [String: String]
        public var attendance: [YearData]

        public init(
            upn: UPN, formerUPN: UPN? = nil, surname: String, forename: String, preferredSurname: String? = nil,
            preferredForename: String? = nil, dateOfBirth: LocalDate, sex: Sex, yearGroup: String?,
            freeSchoolMeals: [Spell] = [], lookedAfter: [Spell] = [], additionalLearningNeeds: Bool = false,
            contacts: [Contact] = [], address: [String] = [], welsh: [String: String] = [:],
            attendance: [YearData] = []
        ) {
            (self.upn, self.formerUPN, self.surname, self.forename) = (upn, formerUPN, surname, forename)
            (self.preferredSurname, self.preferredForename, self.dateOfBirth, self.sex, self.yearGroup) =
                (preferredSurname, preferredForename, dateOfBirth, sex, yearGroup)
            (self.freeSchoolMeals, self.lookedAfter, self.additionalLearningNeeds) =
                (freeSchoolMeals, lookedAfter, additionalLearningNeeds)
            (self.contacts, self.address, self.welsh, self.attendance) = (contacts, address, welsh, attendance)
        }
    }

    public var header: Header
    public var pupils: [Pupil]

    public init(header: Header, pupils: [Pupil]) { (self.header, self.pupils) = (header, pupils) }

    /// The file's name as schools' systems expect it: the source's LA and establishment, `_CTF_`, the
    /// destination's (`XXXXXXX` when unknown), and a number.
    public var fileName: String {
        func code(_ school: School?) -> String {
            guard let school else { return "XXXXXXX" }
            return school.laestab.description
        }
        return "\(code(header.source))_CTF_\(code(header.destination))_001.xml"
    }
}

import AttendanceCore

/// Writes a Common Transfer File exactly: every element in the order the reader expects, text escaped, one
/// element a line.
public enum CTFWriter {
    public static let version = "17.0"

    public static func xml(_ file: CommonTransferFile) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CTfile>\n"
        var depth = 1
        func open(_ name: String) {
            out += String(repeating: "  ", count: depth) + "<\(name)>\n"
            depth += 1
        }
        func close(_ name: String) {
            depth -= 1
            out += String(repeating: "  ", count: depth) + "</\(name)>\n"
        }
        func leaf(_ name: String, _ value: String?) {
            guard let value else { return }
            out += String(repeating: "  ", count: depth) + "<\(name)>\(XMLText.escape(value))</\(name)>\n"
        }
        func school(_ name: String, _ school: CommonTransferFile.School, year: Int? = nil) {
            open(name)
            leaf("LEA", String(school.la))
            leaf("Estab", String(school.estab))
            leaf("SchoolName", school.name)
            leaf("AcademicYear", year.map(String.init))
            close(name)
        }
        func spells(_ name: String, _ instance: String, _ prefix: String, _ spells: [CommonTransferFile.Spell]) {
            guard !spells.isEmpty else { return }
            open(name)
            for spell in spells {
                open(instance)
                leaf("\(prefix)startDate", spell.start.iso)
                leaf("\(prefix)endDate", spell.end?.iso)
                close(instance)
            }
            close(name)
        }
        let header = file.header
        open("Header")
        leaf("DocumentName", "Common Transfer File")
        leaf("CTFversion", header.version)
        leaf("DateTime", header.dateTime)
        leaf("DocumentQualifier", header.qualifier)
        school("SourceSchool", header.source, year: header.academicYear)
        if let destination = header.destination { school("DestSchool", destination) }
        close("Header")
        open("CTFpupilData")
        for pupil in file.pupils {
            open("Pupil")
            leaf("UPN", pupil.upn.value)
            leaf("FormerUPN", pupil.formerUPN?.value)
            leaf("Surname", pupil.surname)
            leaf("Forename", pupil.forename)
            leaf("PreferredSurname", pupil.preferredSurname)
            leaf("PreferredForename", pupil.preferredForename)
            leaf("DOB", pupil.dateOfBirth.iso)
            leaf("Sex", pupil.sex.rawValue)
            open("BasicDetails")
            leaf("NCyearActual", pupil.yearGroup)
            close("BasicDetails")
            spells("FSMhistory", "FSMinstance", "FSM", pupil.freeSchoolMeals)
            spells("InCareHistory", "InCareInstance", "InCare", pupil.lookedAfter)
            if pupil.additionalLearningNeeds {
                open("SENhistory")
                leaf("SENprovision", "Y")
                close("SENhistory")
            }
            if !pupil.contacts.isEmpty {
                open("Contacts")
                for contact in pupil.contacts {
                    open("Contact")
                    leaf("Order", String(contact.order))
                    leaf("Title", contact.title.isEmpty ? nil : contact.title)
                    leaf("Surname", contact.surname)
                    leaf("Forename", contact.forename)
                    leaf("Relationship", contact.relationship)
                    leaf("Responsibility", contact.parentalResponsibility ? "true" : "false")
                    if !contact.phones.isEmpty {
                        open("Phones")
                        for phone in contact.phones {
                            open("Phone")
                            leaf("TelephoneType", phone.type)
                            leaf("PhoneNo", phone.number)
                            close("Phone")
                        }
                        close("Phones")
                    }
                    leaf("Email", contact.email.isEmpty ? nil : contact.email)
                    if let language = contact.language {
                        open("NAWdetails")
                        leaf("LanguagePreference", language.rawValue.uppercased())
                        close("NAWdetails")
                    }
                    close("Contact")
                }
                close("Contacts")
            }
            if !pupil.address.isEmpty {
                open("Address")
                for line in pupil.address { leaf("AddressLine", line) }
                close("Address")
            }
            if !pupil.welsh.isEmpty {
                open("NAWdetails")
                for (name, value) in pupil.welsh.sorted(by: { $0.key < $1.key }) { leaf(name, value) }
                close("NAWdetails")
            }
            if !pupil.attendance.isEmpty {
                open("Attendance")
                for year in pupil.attendance {
                    open("YearData")
                    leaf("Year", String(year.year))
                    leaf("LEA", String(year.school.la))
                    leaf("Estab", String(year.school.estab))
                    leaf("SchoolName", year.school.name)
                    leaf("SessionsPossible", String(year.possible))
                    leaf("SessionsAuthorised", String(year.authorised))
                    leaf("SessionsAttended", String(year.attended))
                    leaf("SessionsUnauthorised", String(year.unauthorised))
                    if let from = year.marksFrom, let marks = year.marks {
                        open("AttendSessions")
                        leaf("AttendanceStartDate", from.iso)
                        leaf("AttendanceMarks", marks)
                        close("AttendSessions")
                    }
                    close("YearData")
                }
                close("Attendance")
            }
            close("Pupil")
        }
        close("CTFpupilData")
        out += "</CTfile>\n"
        return out
    }
}

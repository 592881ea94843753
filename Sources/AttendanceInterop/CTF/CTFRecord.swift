import AttendanceCore

/// The record as a Common Transfer File says it: contacts' relationships as the CTF's codes and back, and a school
/// year's marks as `YearData` (totals from the one summary, marks two characters a day with `#` for a day or half
/// not marked).
extension CommonTransferFile {
    /// The CTF's relationship codes for the relationships schools' records name.
    public static let relationshipCodes: [String: String] = [
        "mother": "PAM", "father": "PAF", "carer": "CAR", "step-mother": "STM", "step-father": "STF",
        "grandmother": "FAM", "grandfather": "FAM", "foster carer": "FOS", "social worker": "SWR",
    ]

    /// The relationship in words for a CTF's code (one way back: `FAM` is any family member).
    public static let relationshipWords: [String: String] = [
        "PAM": "mother", "PAF": "father", "CAR": "carer", "STM": "step-mother", "STF": "step-father",
        "FAM": "family member", "FOS": "foster carer", "SWR": "social worker", "OTH": "other",
    ]

    public static func relationshipCode(_ relationship: String) -> String {
        relationshipCodes[relationship.lowercased()] ?? "OTH"
    }

    /// A contact as the CTF writes it: the name split at its last space into forename and surname.
    public static func contact(_ contact: AttendanceCore.Contact, order: Int) -> Contact {
        let parts = contact.name.split(separator: " ")
        let surname = parts.last.map(String.init) ?? contact.name
        let forename = parts.dropLast().joined(separator: " ")
        var phones: [Phone] = []
        if let mobile = contact.mobile, !mobile.isEmpty { phones.append(Phone(type: "M", number: mobile)) }
        if let phone = contact.phone, !phone.isEmpty { phones.append(Phone(type: "H", number: phone)) }
        return Contact(
            order: order, title: "", surname: surname, forename: forename,
            relationship: relationshipCode(contact.relationship),
            parentalResponsibility: contact.parentalResponsibility, phones: phones, email: contact.email ?? "",
            language: contact.language == .both ? nil : contact.language)
    }

    /// A pupil's year at a school: the totals of the days on its roll, and the marks from the year's first day
    /// on roll to its last marked day.
    public static func yearData(_ year: RollYear, school: School, table: CodeTable, rules: SummaryRules) -> YearData? {
        let academicYear = year.marks.academicYear
        let summary = year.summary(in: academicYear.range, table: table, rules: rules)
        guard let first = year.spells.map(\.start).min() else { return nil }
        var text = ""
        var lastMarked: Int?
        var day = max(first, academicYear.firstDay)
        var characters: [String] = []
        while day <= academicYear.lastDay {
            let onRoll = year.spells.contains { $0.contains(day) }
            for half in [SessionHalf.am, .pm] {
                let code = onRoll ? table.code(id: year.marks[SchoolSession(day, half)])?.code : nil
                if code != nil { lastMarked = characters.count }
                characters.append(code.flatMap { $0.count == 1 ? $0 : nil } ?? "#")
            }
            day = day.adding(days: 1)
        }
        if let lastMarked {
            // Whole days: up to and including the last marked day's afternoon.
            text = characters[0...(lastMarked | 1)].joined()
        }
        return YearData(
            year: academicYear.startYear, school: school, possible: summary.possible, authorised: summary.authorised,
            attended: summary.attended, unauthorised: summary.unauthorised,
            marksFrom: text.isEmpty ? nil : max(first, academicYear.firstDay), marks: text.isEmpty ? nil : text)
    }
}

extension CommonTransferFile {
    /// A CTF contact as the record keeps it: one name, the relationship in words, the mobile and another phone,
    /// and the pupil's address (a CTF gives the pupil's, and contacts live there unless it says otherwise).
    public static func contact(_ contact: Contact, priority: Int, address: [String]) -> AttendanceCore.Contact {
        let words = relationshipWords[contact.relationship.uppercased()]
        let mobile = contact.phones.first { $0.type.uppercased() == "M" }?.number
        let other = contact.phones.first { $0.type.uppercased() != "M" }?.number
        let name = [contact.title, contact.forename, contact.surname].filter { !$0.isEmpty }.joined(separator: " ")
        return AttendanceCore.Contact(
            name: String(name.prefix(200)),
            relationship: words ?? (contact.relationship.isEmpty ? "other" : contact.relationship),
            parentalResponsibility: contact.parentalResponsibility, priority: priority, phone: other, mobile: mobile,
            email: contact.email.isEmpty ? nil : contact.email,
            address: address.isEmpty ? nil : address.joined(separator: ", "), language: contact.language ?? .both)
    }
}

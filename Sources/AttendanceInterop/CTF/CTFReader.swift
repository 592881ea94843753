import AttendanceCore
import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Reads a Common Transfer File leniently and checks it strictly: an element this reader does not know is listed
/// (`unread`), never fatal; broken XML, a missing or malformed required element, or a UPN whose check letter is
/// wrong is refused, naming the pupil and the element, and nothing of the file is used.
public enum CTFReader {
    public struct Problem: Error, Hashable, Sendable, CustomStringConvertible {
        /// What is wrong, with what the file says there: each has a sentence in both languages at the web edge.
        public enum Why: Hashable, Sendable {
            case notXML(String)
            case notACTF
            case missing
            case notANumber(String)
            case notADate(String)
            case notAUPN(String)
            case notASex(String)
            /// The same pupil appears twice (the first's number).
            case samePupil(Int)
            /// A mark in neither the Welsh codes nor England's, on a session.
            case unknownCode(String, SchoolSession)
            /// The file is for another school (the one it names).
            case otherSchool(LAESTAB)
            /// Longer than any such field can be (the most it may hold).
            case tooLong(Int)
            /// A number larger than any such field can be (the most it may be).
            case tooLarge(Int)

            /// The key of its sentence (`ctf.problem.<key>`) and what the sentence names.
            public var key: String {
                switch self {
                case .notXML: "not_xml"
                case .notACTF: "not_ctf"
                case .missing: "missing"
                case .notANumber: "not_a_number"
                case .notADate: "not_a_date"
                case .notAUPN: "not_a_upn"
                case .notASex: "not_a_sex"
                case .samePupil: "same_pupil"
                case .unknownCode: "unknown_code"
                case .otherSchool: "other_school"
                case .tooLong: "too_long"
                case .tooLarge: "too_large"
                }
            }

            /// What the file says at the place, for the sentence's `{value}`.
            public var value: String {
                switch self {
                case .notXML(let detail), .notANumber(let detail), .notADate(let detail), .notAUPN(let detail),
                    .notASex(let detail):
                    detail
                case .notACTF, .missing: ""
                case .samePupil(let first): String(first)
                case .unknownCode(let code, let session): "\(code) \(session)"
                case .otherSchool(let school): school.description
                case .tooLong(let limit), .tooLarge(let limit): String(limit)
                }
            }

            /// In English, for the command line and the log.
            public var english: String {
                switch self {
                case .notXML(let detail): "not well-formed XML\(detail.isEmpty ? "" : " (\(detail))")"
                case .notACTF: "not a CTfile"
                case .missing: "missing or empty"
                case .notANumber(let text): "'\(text)' is not a whole number"
                case .notADate(let text): "'\(text)' is not a date (YYYY-MM-DD)"
                case .notAUPN(let text): "'\(text)' is not a valid UPN"
                case .notASex(let text): "'\(text)' is not F, M or U"
                case .samePupil(let first): "the same pupil as pupil \(first)"
                case .unknownCode(let code, let session):
                    "'\(code)' on \(session) is in neither the Welsh codes nor England's"
                case .otherSchool(let school): "the file is for the school \(school), not this one"
                case .tooLong(let limit): "longer than \(limit) characters"
                case .tooLarge(let limit): "larger than \(limit)"
                }
            }
        }

        /// Where: `Header/SourceSchool/LEA`, or `Pupil 2 (UPN A123…)/Attendance/YearData 1/SessionsPossible`.
        public let place: String
        public let why: Why

        public init(place: String, why: Why) { (self.place, self.why) = (place, why) }

        public var description: String { "\(place): \(why.english)" }
    }

    public struct Result: Sendable {
        public let file: CommonTransferFile
        /// Elements that were not read, by path, once each.
        public let unread: [String]
    }

    /// The most sessions a school year holds (two a day, 366 days): a year's totals and marks are no longer.
    static let sessionsAYear = 732

    public static func read(_ data: Data) throws(Problem) -> Result {
        let root = try parse(data)
        guard root.name == "CTfile" else { throw Problem(place: root.name, why: .notACTF) }
        var unread = Set<String>()
        let header = try readHeader(try root.required("Header", at: "CTfile"), unread: &unread)
        var pupils: [CommonTransferFile.Pupil] = []
        let data = root.child("CTFpupilData")
        for (index, element) in (data?.children(named: "Pupil") ?? []).enumerated() {
            pupils.append(try readPupil(element, number: index + 1, unread: &unread))
        }
        for child in root.children where !["Header", "CTFpupilData"].contains(child.name) {
            unread.insert("CTfile/" + child.name)
        }
        for child in data?.children ?? [] where child.name != "Pupil" { unread.insert("CTFpupilData/" + child.name) }
        return Result(file: CommonTransferFile(header: header, pupils: pupils), unread: unread.sorted())
    }

    // MARK: The document as a tree

    final class Element {
        let name: String
        var text = ""
        var children: [Element] = []

        init(name: String) { self.name = name }

        /// Names are matched without regard to case: files differ (`FSMstartDate`, `FSMStartDate`).
        func child(_ name: String) -> Element? { children.first { $0.name.lowercased() == name.lowercased() } }
        /// The text of every element below this one that has no children, in document order.
        var leaves: [String] {
            children.flatMap { child in
                child.children.isEmpty
                    ? [child.text.trimmingCharacters(in: .whitespacesAndNewlines)].filter { !$0.isEmpty }
                    : child.leaves
            }
        }
        func children(named name: String) -> [Element] {
            children.filter { $0.name.lowercased() == name.lowercased() }
        }
        func value(_ name: String) -> String? {
            guard let text = child(name)?.text.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty
            else { return nil }
            return text
        }
        func required(_ name: String, at place: String) throws(Problem) -> Element {
            guard let found = child(name) else { throw Problem(place: place + "/" + name, why: .missing) }
            return found
        }
        func requiredValue(_ name: String, at place: String) throws(Problem) -> String {
            guard let found = value(name) else { throw Problem(place: place + "/" + name, why: .missing) }
            return found
        }
        /// A whole number no larger than `most` (a school year has at most 732 sessions; an LA number three digits).
        func number(_ name: String, at place: String, most: Int = 9999) throws(Problem) -> Int {
            let text = try requiredValue(name, at: place)
            guard text.count <= 12, let number = Int(text), number >= 0 else {
                throw Problem(place: place + "/" + name, why: .notANumber(String(text.prefix(20))))
            }
            guard number <= most else { throw Problem(place: place + "/" + name, why: .tooLarge(most)) }
            return number
        }
        /// A value of at most `limit` characters, nil when absent or empty.
        func text(_ name: String, at place: String, limit: Int) throws(Problem) -> String? {
            guard let found = value(name) else { return nil }
            guard found.count <= limit else { throw Problem(place: place + "/" + name, why: .tooLong(limit)) }
            return found
        }
        /// The same, which must be given.
        func requiredText(_ name: String, at place: String, limit: Int) throws(Problem) -> String {
            guard let found = try text(name, at: place, limit: limit) else {
                throw Problem(place: place + "/" + name, why: .missing)
            }
            return found
        }
        func date(_ name: String, at place: String, required: Bool) throws(Problem) -> LocalDate? {
            guard let text = value(name) else {
                if required { throw Problem(place: place + "/" + name, why: .missing) }
                return nil
            }
            // Dates from outside are bounded: 1990 to 2100, as every date a person enters.
            guard let day = LocalDate(entered: text.prefix(10)) else {
                throw Problem(place: place + "/" + name, why: .notADate(String(text.prefix(20))))
            }
            return day
        }
        /// Records the children not in `known`, by path.
        func note(unknownBesides known: Set<String>, at place: String, into unread: inout Set<String>) {
            let names = Set(known.map { $0.lowercased() })
            for child in children where !names.contains(child.name.lowercased()) {
                unread.insert(place + "/" + child.name)
            }
        }
    }

    private final class Builder: NSObject, XMLParserDelegate {
        var stack: [Element] = []
        var root: Element?

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
            qualifiedName: String?, attributes: [String: String] = [:]
        ) {
            let element = Element(name: elementName)
            stack.last?.children.append(element)
            if root == nil { root = element }
            stack.append(element)
        }

        func parser(
            _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?
        ) {
            _ = stack.popLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { stack.last?.text += string }
    }

    /// The line of the first `<?` that is not the XML declaration at the start, or nil.
    static func processingInstruction(in data: Data) -> Int? {
        let bytes = [UInt8](data)
        var start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while start < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[start]) { start += 1 }
        var line = 1
        var index = 0
        while index + 1 < bytes.count {
            if bytes[index] == 0x0A { line += 1 }
            if bytes[index] == UInt8(ascii: "<"), bytes[index + 1] == UInt8(ascii: "?") {
                let declaration =
                    index == start && bytes.count > index + 5
                    && Array(bytes[(index + 2)..<(index + 5)]) == Array("xml".utf8)
                    && [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index + 5])
                if !declaration { return line }
            }
            index += 1
        }
        return nil
    }

    static func parse(_ data: Data) throws(Problem) -> Element {
        // A CTF has no document type: one is refused before parsing, so no entity it declares is ever expanded.
        if data.range(of: Data("<!DOCTYPE".utf8)) != nil || data.range(of: Data("<!doctype".utf8)) != nil {
            throw Problem(place: "line 1", why: .notXML("a document type declaration"))
        }
        // Foundation's XML parser traps on an element name that is not UTF-8 (found by fuzzing): a CTF is UTF-8,
        // and any other bytes are refused first, naming the line.
        guard String(validating: data, as: UTF8.self) != nil else {
            let before = String(decoding: data, as: UTF8.self).prefix { $0 != "\u{FFFD}" }
            let line = before.reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
            throw Problem(place: "line \(line)", why: .notXML("not UTF-8 text"))
        }
        // Foundation's XML parser reads a processing instruction without data (`<?x?>`) through a null pointer
        // (found by fuzzing): a CTF has none but its XML declaration, and any other is refused first.
        if let place = processingInstruction(in: data) {
            throw Problem(place: "line \(place)", why: .notXML("a processing instruction"))
        }
        let parser = XMLParser(data: data)
        let builder = Builder()
        parser.delegate = builder
        parser.shouldResolveExternalEntities = false
        guard parser.parse(), let root = builder.root else {
            throw Problem(
                place: "line \(parser.lineNumber), column \(parser.columnNumber)",
                why: .notXML(parser.parserError.map(\.localizedDescription) ?? ""))
        }
        return root
    }

    // MARK: The parts

    static func school(_ element: Element, at place: String) throws(Problem) -> CommonTransferFile.School {
        CommonTransferFile.School(
            la: try element.number("LEA", at: place, most: 999), estab: try element.number("Estab", at: place),
            name: try element.text("SchoolName", at: place, limit: 200) ?? "")
    }

    static func readHeader(_ element: Element, unread: inout Set<String>) throws(Problem) -> CommonTransferFile.Header {
        let place = "Header"
        let source = try element.required("SourceSchool", at: place)
        let year = try source.number(
            "AcademicYear", at: place + "/SourceSchool", most: LocalDate.enteredYears.upperBound)
        element.note(
            unknownBesides: [
                "DocumentName", "CTFversion", "DateTime", "DocumentQualifier", "SourceSchool", "DestSchool",
                "SupplierID",
            ], at: place, into: &unread)
        var destination: CommonTransferFile.School?
        // A destination with no numbers is "not known" (a pupil whose new school is not known).
        if let dest = element.child("DestSchool"), dest.value("LEA") != nil || dest.value("Estab") != nil {
            destination = try school(dest, at: place + "/DestSchool")
        }
        return CommonTransferFile.Header(
            version: try element.text("CTFversion", at: place, limit: 20) ?? "",
            dateTime: try element.text("DateTime", at: place, limit: 40) ?? "",
            qualifier: try element.text("DocumentQualifier", at: place, limit: 20) ?? "full",
            source: try school(source, at: place + "/SourceSchool"), destination: destination, academicYear: year)
    }

    static func upn(_ text: String, at place: String) throws(Problem) -> UPN {
        do { return try UPN(text) } catch { throw Problem(place: place, why: .notAUPN(text)) }
    }

    static func spells(
        _ element: Element?, instance: String, prefix: String, at place: String
    ) throws(Problem) -> [CommonTransferFile.Spell] {
        var result: [CommonTransferFile.Spell] = []
        for (index, spell) in (element?.children(named: instance) ?? []).enumerated() {
            let at = "\(place)/\(instance) \(index + 1)"
            guard let start = try spell.date("\(prefix)StartDate", at: at, required: true) else { continue }
            result.append(
                CommonTransferFile.Spell(start: start, end: try spell.date("\(prefix)EndDate", at: at, required: false))
            )
        }
        return result
    }

    static func readPupil(_ element: Element, number: Int, unread: inout Set<String>) throws(Problem)
        -> CommonTransferFile.Pupil
    {
        var place = "Pupil \(number)"
        let upnText = try element.requiredText("UPN", at: place, limit: 13)
        let upn = try upn(upnText, at: place + "/UPN")
        place += " (UPN \(upn.value))"
        let formerUPN = try element.text("FormerUPN", at: place, limit: 13).map { (text) throws(Problem) in
            try Self.upn(text, at: place + "/FormerUPN")
        }
        let sexText = element.value("Sex") ?? element.value("Gender") ?? "U"
        guard let sex = Sex(text: sexText) else {
            throw Problem(place: place + "/Sex", why: .notASex(sexText))
        }
        guard let dateOfBirth = try element.date("DOB", at: place, required: true) else {
            throw Problem(place: place + "/DOB", why: .missing)
        }
        let basic = element.child("BasicDetails")
        var contacts: [CommonTransferFile.Contact] = []
        for (index, contact) in (element.child("Contacts")?.children(named: "Contact") ?? []).enumerated() {
            let at = "\(place)/Contacts/Contact \(index + 1)"
            let order = contact.value("Order").flatMap(Int.init) ?? index + 1
            let responsibility = (contact.value("Responsibility") ?? "").lowercased()
            let language = contact.child("NAWdetails").flatMap { $0.value("LanguagePreference") }.flatMap {
                LanguagePreference(rawValue: $0.lowercased())
            }
            var phones: [CommonTransferFile.Phone] = []
            for phone in contact.child("Phones")?.children(named: "Phone") ?? [] {
                if let number = try phone.text("PhoneNo", at: at + "/Phones/Phone", limit: 40) {
                    phones.append(CommonTransferFile.Phone(type: phone.value("TelephoneType") ?? "", number: number))
                }
            }
            contacts.append(
                CommonTransferFile.Contact(
                    order: order, title: try contact.text("Title", at: at, limit: 20) ?? "",
                    surname: try contact.requiredText("Surname", at: at, limit: 100),
                    forename: try contact.text("Forename", at: at, limit: 100) ?? "",
                    relationship: try contact.text("Relationship", at: at, limit: 20) ?? "",
                    parentalResponsibility: ["true", "1", "y", "yes"].contains(responsibility),
                    phones: phones, email: try contact.text("Email", at: at, limit: 254) ?? "", language: language))
        }
        var attendance: [CommonTransferFile.YearData] = []
        for (index, year) in (element.child("Attendance")?.children(named: "YearData") ?? []).enumerated() {
            let at = "\(place)/Attendance/YearData \(index + 1)"
            let sessions = year.child("AttendSessions")
            attendance.append(
                CommonTransferFile.YearData(
                    year: try year.number("Year", at: at, most: LocalDate.enteredYears.upperBound),
                    school: try school(year, at: at),
                    possible: try year.number("SessionsPossible", at: at, most: Self.sessionsAYear),
                    authorised: try year.number("SessionsAuthorised", at: at, most: Self.sessionsAYear),
                    attended: try year.number("SessionsAttended", at: at, most: Self.sessionsAYear),
                    unauthorised: try year.number("SessionsUnauthorised", at: at, most: Self.sessionsAYear),
                    marksFrom: try sessions?.date("AttendanceStartDate", at: at + "/AttendSessions", required: true),
                    marks: try sessions?.text("AttendanceMarks", at: at + "/AttendSessions", limit: Self.sessionsAYear))
            )
        }
        // Kept with each contact (the record's contacts hold an address of up to 1,000 characters).
        let address = element.child("Address")?.leaves ?? []
        guard address.joined(separator: ", ").count <= 1000 else {
            throw Problem(place: place + "/Address", why: .tooLong(1000))
        }
        element.note(
            unknownBesides: [
                "UPN", "FormerUPN", "Surname", "Forename", "PreferredSurname", "PreferredForename", "DOB", "Sex",
                "Gender", "BasicDetails", "FSMhistory", "InCareHistory", "SENhistory", "Contacts", "Address",
                "NAWdetails", "Attendance",
            ], at: "Pupil", into: &unread)
        return CommonTransferFile.Pupil(
            upn: upn, formerUPN: formerUPN, surname: try element.requiredText("Surname", at: place, limit: 100),
            forename: try element.requiredText("Forename", at: place, limit: 100),
            preferredSurname: try element.text("PreferredSurname", at: place, limit: 100),
            preferredForename: try element.text("PreferredForename", at: place, limit: 100),
            dateOfBirth: dateOfBirth, sex: sex,
            yearGroup: try basic?.text("NCyearActual", at: place + "/BasicDetails", limit: 3),
            freeSchoolMeals: try spells(
                element.child("FSMhistory"), instance: "FSMinstance", prefix: "FSM", at: place + "/FSMhistory"),
            lookedAfter: try spells(
                element.child("InCareHistory"), instance: "InCareInstance", prefix: "InCare",
                at: place + "/InCareHistory"),
            additionalLearningNeeds: element.child("SENhistory")?.children.isEmpty == false,
            contacts: contacts,
            address: address,
            welsh: Dictionary(
                (element.child("NAWdetails")?.children ?? []).map {
                    ($0.name, $0.text.trimmingCharacters(in: .whitespacesAndNewlines))
                }, uniquingKeysWith: { first, _ in first }),
            attendance: attendance)
    }
}

import ArgumentParser
import AttendanceCore
import AttendanceInterop
import AttendanceStore
import Foundation

/// What a file to import holds: one of the CSV formats, or a Common Transfer File.
enum ImportKind: String, ExpressibleByArgument, CaseIterable {
    case schools, calendar, pupils, contacts, marks, ctf, timetable
    case lessonMarks = "lesson-marks"
}

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract:
            "Import schools, a calendar, pupils, contacts, marks, a timetable or lesson marks from CSV files, or a Common Transfer File.",
        discussion: """
            All or nothing: a file with any bad line writes nothing, and every bad line is listed with its number. \
            Importing the same file twice changes nothing. The columns of each format are in the README.
            """)

    @Argument(help: "What the file holds: schools, calendar, pupils, contacts, marks, ctf, timetable, or lesson-marks.")
    var kind: ImportKind
    @Argument(help: "The CSV file (UTF-8, with a header row), or the CTF (XML).", completion: .file()) var file: String
    @Option(help: ArgumentHelp("The school (LAESTAB, e.g. 6652001).", valueName: "LAESTAB")) var school: String?
    @Option(help: "The local authority number, for an authority-wide calendar.") var la: Int?
    @Option(
        name: .customLong("as"),
        help: ArgumentHelp(
            "The account importing marks (its email), for the audit and for what it may set: a code only someone who "
                + "may authorise absence may set is imported only as such an account.", valueName: "EMAIL"))
    var account: String?
    @Option(help: ArgumentHelp("A timetable's class lists (CSV: class, upn).", valueName: "file"))
    var classes: String?
    @Option(
        name: .customLong("from"),
        help: ArgumentHelp("A timetable's first day (default today): the week 1 of its cycle.", valueName: "YYYY-MM-DD")
    )
    var startsOn: String?
    @Option(help: "A timetable's cycle: 1 or 2 weeks.") var weeks = 1
    @OptionGroup var db: DatabaseOptions

    func validate() throws {
        _ = try parseDate(startsOn, option: "--from")
        if kind == .timetable {
            guard classes != nil else { throw ValidationError("a timetable needs its class lists: --classes FILE") }
            guard (1...2).contains(weeks) else { throw ValidationError("--weeks: 1 or 2") }
        } else if classes != nil || startsOn != nil {
            throw ValidationError("--classes and --from are for a timetable")
        }
    }

    func run() async throws {
        let settings = try Settings(db)
        let laestab = try parseSchool(school)
        if kind == .ctf {
            try await importTransferFile(settings: settings, school: laestab)
            return
        }
        if kind == .timetable {
            try await importTimetable(settings: settings, school: laestab)
            return
        }
        let text: String
        do {
            text = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            throw ValidationError("\(file) could not be read as UTF-8 text")
        }
        let progress = Progress()
        let source = URL(fileURLWithPath: file).lastPathComponent
        do {
            let summary = try await settings.withStore { store -> String in
                switch kind {
                case .schools:
                    let rows = try ImportParser.schools(text)
                    for la in Set(rows.map(\.value.laNumber)).sorted()
                    where try await store.reference.localAuthorityName(laNumber: la) == nil {
                        try await store.reference.saveLocalAuthority(laNumber: la, name: "Local authority \(la)")
                    }
                    return
                        "\(try await store.reference.importSchools(rows, by: settings.actor, source: source)) schools"
                case .calendar:
                    let rows = try ImportParser.calendar(text)
                    let scope = try await calendarScope(store: store, laestab: laestab)
                    let count = try await store.reference.importCalendar(
                        rows, scope: scope, by: settings.actor, source: source)
                    return "\(count) calendar lines for \(scope)"
                case .pupils:
                    let school = try await schoolForRoll(store: store, laestab: laestab)
                    let rows = try ImportParser.pupils(text)
                    let count = try await store.reference.importPupils(
                        rows, school: school, by: settings.actor, source: source)
                    return "\(count) pupils"
                case .contacts:
                    let rows = try ImportParser.contacts(text)
                    return
                        "\(try await store.contacts.importContacts(rows, by: settings.actor, source: source)) contacts"
                case .ctf, .timetable: return ""  // read above
                case .lessonMarks:
                    progress.say("Reading \(file)…")
                    let rows = try ImportParser.lessonMarks(text)
                    progress.say("Checking and writing \(rows.count) lesson marks…")
                    let school = try await schoolForRoll(store: store, laestab: laestab)
                    let result = try await store.lessons.importLessonMarks(
                        rows, school: school, by: settings.actor, source: source)
                    return "\(result.marks) lesson marks in \(result.registers) lesson registers"
                case .marks:
                    progress.say("Reading \(file)…")
                    let rows = try ImportParser.marks(text, codes: store.codes)
                    progress.say("Checking and writing \(rows.count) marks…")
                    var actor = settings.actor
                    var authorisesAt: Set<LAESTAB> = []
                    if let account {
                        guard let user = try await store.identity.user(email: account), user.isActive else {
                            throw ValidationError("--as: no active account has the email \(account)")
                        }
                        actor = AuditActor(user.email)
                        authorisesAt = Set(
                            try await store.reference.schools().map(\.school.laestab).filter {
                                AccessPolicy.allows(user.grants, .authoriseAbsence, .school($0))
                            })
                    }
                    let result = try await store.registers.importMarks(
                        rows, school: laestab, source: source, by: actor, authorisesAt: authorisesAt)
                    return "\(result.inserted) new marks, \(result.amended) amended, \(result.unchanged) unchanged"
                }
            }
            print("Imported \(summary) from \(file).")
        } catch let problems as ImportProblems {
            printError("\(file): \(problems)")
            throw ExitCode.failure
        } catch let error as StoreError {
            printError("\(file): \(error)")
            throw ExitCode.failure
        }
    }

    private func calendarScope(store: Store, laestab: LAESTAB?) async throws -> CalendarScope {
        if let laestab {
            _ = try await store.reference.requireSchool(laestab)
            return .school(laestab)
        }
        if let la { return .authority(la: la) }
        let authorities = Set(try await store.reference.schools().map(\.school.laNumber))
        guard authorities.count == 1, let only = authorities.first else {
            throw ValidationError("name the local authority with --la (e.g. --la 665) or a school with --school")
        }
        return .authority(la: only)
    }

    private func schoolForRoll(store: Store, laestab: LAESTAB?) async throws -> LAESTAB {
        if let laestab { return laestab }
        let schools = try await store.reference.schools()
        guard schools.count == 1 else {
            throw ValidationError("name the school whose roll this is with --school LAESTAB")
        }
        return schools[0].school.laestab
    }

    /// A timetable and its class lists: both read and checked whole, then written in one transaction from its first
    /// day (a timetable kept for that day is replaced; those of other days stay).
    private func importTimetable(settings: Settings, school: LAESTAB?) async throws {
        func text(_ path: String) throws -> String {
            do { return try String(contentsOfFile: path, encoding: .utf8) } catch {
                throw ValidationError("\(path) could not be read as UTF-8 text")
            }
        }
        let classesFile = classes ?? ""
        let lessons: [Numbered<TimetableLesson>]
        let members: [Numbered<ClassMember>]
        do { lessons = try ImportParser.timetable(try text(file), weeks: weeks) } catch let problems as ImportProblems {
            printError("\(file): \(problems)")
            throw ExitCode.failure
        }
        do { members = try ImportParser.classes(try text(classesFile)) } catch let problems as ImportProblems {
            printError("\(classesFile): \(problems)")
            throw ExitCode.failure
        }
        let cycle = try TimetableCycle(weeks: weeks, startsOn: try parseDate(startsOn, option: "--from") ?? today())
        do {
            let written = try await settings.withStore { store in
                let laestab = try await schoolForRoll(store: store, laestab: school)
                return try await store.lessons.importTimetable(
                    lessons, classes: members, school: laestab, cycle: cycle, by: settings.actor,
                    source: URL(fileURLWithPath: file).lastPathComponent)
            }
            print(
                "Imported a \(weeks)-week timetable from \(cycle.startsOn.iso): \(written.lessons) lessons, "
                    + "\(written.places) places in classes.")
        } catch let problems as ImportProblems {
            printError("\(classesFile): \(problems)")
            throw ExitCode.failure
        } catch let error as StoreError {
            printError("\(file): \(error)")
            throw ExitCode.failure
        }
    }

    /// A Common Transfer File: read and checked whole, then written in one transaction; each pupil's other schools'
    /// years are kept as their history, and pupils not on the school's roll wait for the office to admit them.
    private func importTransferFile(settings: Settings, school: LAESTAB?) async throws {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw ValidationError("\(file) could not be read")
        }
        do {
            let read = try CTFReader.read(data)
            let result = try await settings.withStore { store in
                let laestab = try await ctfSchool(store: store, given: school, file: read.file)
                return try await store.transfers.importCTF(
                    read, fileName: URL(fileURLWithPath: file).lastPathComponent, school: laestab, today: today(),
                    by: settings.actor)
            }
            print(
                "Imported \(result.pupils) pupils from \(file): \(result.added.count) new, \(result.updated.count) "
                    + "already known and updated; \(result.prepared) admissions for the office to confirm; "
                    + "\(result.years) years at other schools kept"
                    + (result.alreadyHeld > 0 ? " (\(result.alreadyHeld) at schools this database holds)" : "") + ".")
            for found in result.disagreements {
                print(
                    "\(found.upn) \(found.school.laestab) \(found.year)/\((found.year + 1) % 100): the marks give "
                        + "possible \(found.marks.possible), attended \(found.marks.attended), authorised "
                        + "\(found.marks.authorised), unauthorised \(found.marks.unauthorised); the file's totals say "
                        + "\(found.file.possible), \(found.file.attended), \(found.file.authorised), "
                        + "\(found.file.unauthorised). Both are kept.")
            }
            if !result.unread.isEmpty { print("Not read: " + result.unread.joined(separator: ", ")) }
        } catch let problem as CTFReader.Problem {
            printError("\(file): \(problem)")
            throw ExitCode.failure
        } catch let error as StoreError {
            printError("\(file): \(error)")
            throw ExitCode.failure
        }
    }

    /// The school importing: the one named, else the file's destination if this database holds it, else the only one.
    private func ctfSchool(store: Store, given: LAESTAB?, file: CommonTransferFile) async throws -> LAESTAB {
        if let given { return given }
        let schools = try await store.reference.schools().map(\.school.laestab)
        if let destination = file.header.destination?.laestab, schools.contains(destination) { return destination }
        guard schools.count == 1 else {
            throw ValidationError("name the school importing the file with --school LAESTAB")
        }
        return schools[0]
    }
}

import ArgumentParser
import AttendanceCore
import AttendanceInterop
import AttendanceStore
import Foundation

extension ImportFormat: ExpressibleByArgument {}

struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import schools, a calendar, pupils, contacts or marks from a CSV file.",
        discussion: """
            All or nothing: a file with any bad line writes nothing, and every bad line is listed with its number. \
            Importing the same file twice changes nothing. The columns of each format are in the README.
            """)

    @Argument(help: "What the file holds: schools, calendar, pupils, contacts or marks.") var kind: ImportFormat
    @Argument(help: "The CSV file (UTF-8, with a header row).", completion: .file()) var file: String
    @Option(help: ArgumentHelp("The school (LAESTAB, e.g. 6652001).", valueName: "LAESTAB")) var school: String?
    @Option(help: "The local authority number, for an authority-wide calendar.") var la: Int?
    @Option(
        name: .customLong("as"),
        help: ArgumentHelp(
            "The account importing marks (its email), for the audit and for what it may set: a code only someone who "
                + "may authorise absence may set is imported only as such an account.", valueName: "EMAIL"))
    var account: String?
    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        let settings = try Settings(db)
        let laestab = try parseSchool(school)
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
}

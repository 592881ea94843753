import ArgumentParser
import AttendanceCore
import AttendanceLetters
import AttendanceStore
import Foundation

struct LettersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "letters",
        abstract: "Letters and messages to parents, in Welsh and English.",
        discussion: """
            Email is on when ATTENDANCE_SMTP_HOST and ATTENDANCE_SMTP_FROM are set (also _PORT, _SECURITY \
            starttls|none, _USERNAME, _PASSWORD, _CA_FILE); text messages when ATTENDANCE_NOTIFY_API_KEY and \
            ATTENDANCE_NOTIFY_TEMPLATE_ID are (ATTENDANCE_NOTIFY_URL for another address). PDFs need WeasyPrint.
            """,
        subcommands: [
            DueLetters.self, ProduceLetter.self, ListLetters.self, ShowLetter.self, SendMessages.self,
            FirstDayMessages.self, Placeholders.self, CheckTemplates.self,
        ])
}

/// `--letters`: the authority's own templates, over the shipped ones.
struct LetterOptions: ParsableArguments {
    @Option(
        name: .customLong("letters"),
        help: ArgumentHelp(
            "A folder of the authority's templates (cy/KIND.mustache, en/KIND.mustache); default $ATTENDANCE_LETTERS.",
            valueName: "folder"))
    var folder: String?
}

func requireSchool(_ text: String) throws -> LAESTAB {
    guard let school = try parseSchool(text) else { throw ValidationError("--school is required") }
    return school
}

func requireUPN(_ text: String) throws -> UPN {
    do { return try UPN(text) } catch { throw ValidationError("--upn: \(error)") }
}

struct DueLetters: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "due",
        abstract:
            "Produce every letter the school's pending actions call for, mark them done, and print them as one PDF.")

    @Option(help: ArgumentHelp("The school.", valueName: "LAESTAB")) var school: String
    @Option(
        name: .customLong("as-of"), help: ArgumentHelp("The letters' date (default: today).", valueName: "YYYY-MM-DD"))
    var asOf: String?
    @Option(help: ArgumentHelp("Write the printed letters here as one PDF.", valueName: "file")) var out: String?
    @Option(help: "Who is producing them (kept with each letter).") var by = "attendance-command"
    @OptionGroup var letters: LetterOptions
    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        let settings = try Settings(db, letters: letters)
        let laestab = try requireSchool(school)
        let day = try parseDate(asOf, option: "--as-of") ?? today()
        let (batch, sent) = try await settings.withStore { store in
            let service = settings.letterService(store)
            let batch = try await service.produceDue(school: laestab, today: day, by: AuditActor(by), signatory: by)
            return (batch, try await service.sendDue())
        }
        if let out {
            guard let pdf = batch.pdf else {
                throw ValidationError(
                    "--out: no PDF was made (\(batch.posted) letters to print; is WeasyPrint installed?)")
            }
            try pdf.write(to: URL(fileURLWithPath: out))
        }
        print(
            "batch \(batch.id): \(batch.letterIDs.count) letters, \(batch.posted) to print, \(batch.emailed) by email "
                + "(\(sent.sent) sent, \(sent.failed) failed); \(batch.needingDetails) meeting invitations need a date")
    }
}

struct ProduceLetter: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "produce", abstract: "Produce one kind of letter for one pupil, to each of their parents.")

    @Argument(
        help: ArgumentHelp(
            "letter_1, letter_2, letter_3, meeting_invitation, meeting_second_invitation, esw_referral, pre_holiday, holiday_decision, certificate."
        ))
    var kind: String
    @Option(help: "The pupil.") var upn: String
    @Option(help: ArgumentHelp("The school.", valueName: "LAESTAB")) var school: String
    @Option(
        name: .customLong("detail"),
        help: ArgumentHelp("A detail the letter needs, e.g. meeting_date=2026-12-03 (repeat).", valueName: "name=value")
    )
    var details: [String] = []
    @Option(
        name: .customLong("as-of"), help: ArgumentHelp("The letter's date (default: today).", valueName: "YYYY-MM-DD"))
    var asOf: String?
    @Option(help: "Who is producing it.") var by = "attendance-command"
    @OptionGroup var letters: LetterOptions
    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        let settings = try Settings(db, letters: letters)
        guard let kind = LetterKind(rawValue: kind) else { throw ValidationError("\(kind) is not a kind of letter") }
        guard kind.isByHand else {
            throw ValidationError(
                "\(kind.rawValue) comes from its own step (a penalty warning from the head on its flag)")
        }
        var values: [String: String] = [:]
        for detail in details {
            let parts = detail.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw ValidationError("--detail: \(detail) is not name=value") }
            values[parts[0]] = parts[1]
        }
        let upn = try requireUPN(upn)
        let laestab = try requireSchool(school)
        let day = try parseDate(asOf, option: "--as-of") ?? today()
        let ids = try await settings.withStore { store in
            let service = settings.letterService(store)
            do {
                let ids = try await service.produce(
                    kind, for: upn, school: laestab, details: values, today: day, by: AuditActor(by), signatory: by)
                _ = try await service.sendDue()
                return ids
            } catch let problem as LetterProblem {
                throw ValidationError(problem.description)
            }
        }
        print("letters " + ids.map(String.init).joined(separator: ", "))
    }
}

struct ListLetters: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "A pupil's letters and messages, with every attempt to send them.")

    @Option(help: "The pupil.") var upn: String
    @Option(help: "json or text.") var format: ListFormat = .text
    @OptionGroup var db: DatabaseOptions

    struct Line: Encodable {
        let id: Int
        let kind: String
        let languages: [String]
        let recipients: [String]
        let channel: String
        let producedBy: String
        let sha256: String
        let delivery: String?
        let attempts: Int

        enum CodingKeys: String, CodingKey {
            case id, kind, languages, recipients, channel, sha256, delivery, attempts
            case producedBy = "produced_by"
        }
    }

    func run() async throws {
        let settings = try Settings(db)
        let upn = try requireUPN(upn)
        let (letters, deliveries) = try await settings.withStore { store in
            (try await store.letters.letters(of: upn), try await store.letters.deliveries(of: upn))
        }
        let lines = letters.map { letter in
            let delivery = deliveries.first { $0.letterID == letter.id }
            return Line(
                id: letter.id, kind: letter.kind.rawValue, languages: letter.languages.map(\.rawValue),
                recipients: letter.recipientNames, channel: letter.channel, producedBy: letter.producedBy,
                sha256: letter.sha256, delivery: delivery?.status.rawValue, attempts: delivery?.attemptCount ?? 0)
        }
        if format == .json {
            print(try jsonText(lines))
            return
        }
        for line in lines {
            print(
                "\(line.id)\t\(line.kind)\t\(line.languages.joined(separator: "+"))\t\(line.channel)"
                    + (line.delivery.map { "\t\($0) after \(line.attempts) attempt(s)" } ?? "")
                    + "\t\(line.recipients.joined(separator: ", "))")
        }
        for delivery in deliveries where delivery.letterID == nil {
            print(
                "message \(delivery.id)\t\(delivery.purpose)\t\(delivery.channel.rawValue)\t\(delivery.status.rawValue)"
            )
        }
    }
}

struct ShowLetter: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Write a letter's kept copy, byte for byte as it was produced.")

    @Argument(help: "The letter's number.") var id: Int
    @Option(help: ArgumentHelp("Write the PDF here.", valueName: "file")) var pdf: String?
    @Option(help: ArgumentHelp("Write the HTML here.", valueName: "file")) var html: String?
    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        let settings = try Settings(db)
        guard let letter = try await settings.withStore({ try await $0.letters.letter(id: id) }) else {
            throw ValidationError("no letter \(id)")
        }
        if let path = pdf {
            guard let data = letter.pdf else { throw ValidationError("--pdf: letter \(id) was kept as HTML only") }
            try data.write(to: URL(fileURLWithPath: path))
        }
        if let path = html { try Data((letter.html ?? "").utf8).write(to: URL(fileURLWithPath: path)) }
        if pdf == nil && html == nil { print(letter.html ?? "") }
    }
}

struct SendMessages: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract: "Send waiting emails and text messages, retrying failed ones whose time has come.")

    @Flag(name: .customLong("retry-now"), help: "Retry failed messages now rather than at their next time.")
    var retryNow = false
    @OptionGroup var letters: LetterOptions
    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        let settings = try Settings(db, letters: letters)
        let result = try await settings.withStore { store in
            if retryNow { try await store.letters.retryFailedDeliveriesNow() }
            return try await settings.letterService(store).sendDue()
        }
        print("\(result.sent) sent, \(result.failed) failed, \(result.waiting) waiting for email or texts to be set up")
    }
}

struct FirstDayMessages: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "first-day",
        abstract: "Message the first contact of every pupil absent with no reason today, and send them.")

    @Option(help: ArgumentHelp("The school.", valueName: "LAESTAB")) var school: String
    @Option(name: .customLong("as-of"), help: ArgumentHelp("The day (default: today).", valueName: "YYYY-MM-DD"))
    var asOf: String?
    @Option(help: "Who is sending them.") var by = "attendance-command"
    @OptionGroup var letters: LetterOptions
    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        let settings = try Settings(db, letters: letters)
        let laestab = try requireSchool(school)
        let day = try parseDate(asOf, option: "--as-of") ?? today()
        let (queued, result) = try await settings.withStore { store in
            let service = settings.letterService(store)
            let queued = try await service.queueFirstDayMessages(school: laestab, on: day, by: AuditActor(by))
            return (queued, try await service.sendDue())
        }
        print("\(queued) messages queued; \(result.sent) sent, \(result.failed) failed")
    }
}

struct Placeholders: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "placeholders", abstract: "Every placeholder a letter template may use, with what it holds.")

    func run() async throws {
        for placeholder in LetterPlaceholder.all {
            let tag =
                placeholder.isSection ? "{{#\(placeholder.name)}}…{{/\(placeholder.name)}}" : "{{\(placeholder.name)}}"
            print("\(tag)\t\(placeholder.en)\t\(placeholder.cy)")
        }
    }
}

struct CheckTemplates: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check a folder of the authority's templates: every placeholder known, every tag closed.")

    @Argument(help: "The folder (cy/KIND.mustache, en/KIND.mustache).") var folder: String

    func run() async throws {
        do {
            _ = try LetterTemplates(directory: folder)
        } catch {
            throw ValidationError(String(describing: error))
        }
        print("\(folder): every template can be used")
    }
}

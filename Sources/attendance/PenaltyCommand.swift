import ArgumentParser
import AttendanceCore
import AttendanceStore
import Foundation

extension PenaltyStatus: ExpressibleByArgument {}

struct PenaltyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fpn", abstract: "Fixed penalty notices: move them on by the calendar, and list them.",
        subcommands: [RunPenalties.self, ListPenalties.self, PenaltyReportCommand.self])
}

struct RunPenalties: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Move notices on by their days: unpaid 42 days after receipt goes to the Education Lead's list.",
        discussion: "The server does the same each day. Running twice on the same day changes nothing more.")

    @Option(
        name: .customLong("as-of"), help: ArgumentHelp("The day to run for (default: today).", valueName: "YYYY-MM-DD"))
    var asOf: String?
    @OptionGroup var db: DatabaseOptions

    func validate() throws { _ = try parseDate(asOf, option: "--as-of") }

    func run() async throws {
        let settings = try Settings(db)
        let day = try parseDate(asOf, option: "--as-of") ?? today()
        let lapsed = try await settings.withStore { store in
            try await store.penalties.runPenaltyNotices(asOf: day, policy: settings.policy, by: settings.actor)
        }
        print("\(lapsed) notice\(lapsed == 1 ? "" : "s") unpaid after \(settings.policy.penaltyNotice.lateDays) days.")
    }
}

struct ListPenalties: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Penalty notice cases, one line per notice (or per case before notices).")

    @Option(help: ArgumentHelp("Only this school.", valueName: "LAESTAB")) var school: String?
    @Option(
        help: ArgumentHelp(
            "Only cases standing here: \(PenaltyStatus.allCases.map(\.rawValue).joined(separator: ", ")).")
    )
    var status: PenaltyStatus?
    @Option(
        name: .customLong("as-of"),
        help: ArgumentHelp("The day the amounts due are for (default: today).", valueName: "YYYY-MM-DD"))
    var asOf: String?
    @Option(help: "json or text.") var format: ListFormat = .text
    @OptionGroup var db: DatabaseOptions

    struct Line: Encodable {
        let `case`: Int
        let upn: String
        let school: String
        let term: String
        let criteria: [String]
        let status: String
        let parent: String?
        let notice: String?
        let amountDue: Int?
        let dueDate: String?

        enum CodingKeys: String, CodingKey {
            case `case`, upn, school, term, criteria, status, parent, notice
            case amountDue = "amount_due"
            case dueDate = "due_date"
        }
    }

    func validate() throws {
        _ = try parseSchool(school)
        _ = try parseDate(asOf, option: "--as-of")
    }

    func run() async throws {
        let settings = try Settings(db)
        let day = try parseDate(asOf, option: "--as-of") ?? today()
        let only = try parseSchool(school)
        let cases = try await settings.withStore { store in
            try await store.penalties.penaltyCases(school: only, status: status)
        }
        var lines: [Line] = []
        for found in cases {
            func line(_ notice: PenaltyNoticeRecord?) -> Line {
                let terms = notice.map { settings.policy.penaltyNotice.terms(receivedOn: $0.receivedOn) }
                let payable = notice?.status == .issued
                return Line(
                    case: found.id.rawValue, upn: found.upn.value, school: found.school.description,
                    term: "\(found.term.start.iso)/\(found.term.end.iso)", criteria: found.criteria.map(\.rawValue),
                    status: notice?.status.rawValue ?? found.status.rawValue, parent: notice?.parent,
                    notice: notice?.number,
                    amountDue: payable ? terms?.amountDue(on: day).map { $0 / 100 } : nil,
                    dueDate: payable ? terms?.dueDate(on: day)?.iso : nil)
            }
            lines += found.notices.isEmpty ? [line(nil)] : found.notices.map(line)
        }
        if format == .json {
            print(try jsonText(lines))
            return
        }
        for line in lines {
            let due = line.amountDue.map { "  £\($0) by \(line.dueDate ?? "")" } ?? ""
            print(
                "\(line.case)  \(line.upn)  \(line.school)  \(line.term)  \(line.criteria.joined(separator: ","))  "
                    + "\(line.status)\(line.parent.map { "  \($0)" } ?? "")\(due)")
        }
        if lines.isEmpty { print("No penalty notice cases.") }
    }
}

struct PenaltyReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract:
            "Per term: requested, approved, declined, issued, paid at each amount, unpaid, referred, by criterion.")

    @Option(help: ArgumentHelp("Only this school (default: the whole authority).", valueName: "LAESTAB"))
    var school: String?
    @Option(help: "json or text.") var format: ListFormat = .text
    @OptionGroup var db: DatabaseOptions

    struct Line: Encodable {
        let term: String
        let criterion: String
        let tally: PenaltyTally

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(term, forKey: .term)
            try container.encode(criterion, forKey: .criterion)
            try tally.encode(to: encoder)
        }

        enum CodingKeys: String, CodingKey { case term, criterion }
    }

    func validate() throws {
        _ = try parseSchool(school)
    }

    func run() async throws {
        let settings = try Settings(db)
        let only = try parseSchool(school)
        let cases = try await settings.withStore { try await $0.penalties.penaltyCases(school: only) }
        let lines = PenaltyReport.lines(cases, notice: settings.policy.penaltyNotice).map {
            Line(
                term: "\($0.term.start.iso)/\($0.term.end.iso)", criterion: $0.criterion?.rawValue ?? "all",
                tally: $0.tally)
        }
        if format == .json {
            print(try jsonText(lines))
            return
        }
        print("term  criterion  requested approved declined issued paid_early paid_late unpaid referred withdrawn")
        for line in lines {
            let t = line.tally
            print(
                "\(line.term)  \(line.criterion)  \(t.requested) \(t.approved) \(t.declined) \(t.issued) "
                    + "\(t.paidEarly) \(t.paidLate) \(t.unpaid) \(t.referred) \(t.withdrawn)")
        }
        if lines.isEmpty { print("No penalty notice cases.") }
    }
}

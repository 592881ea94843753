import AttendanceCore
import AttendanceInterop
import AttendanceStore
import Foundation
import Vapor

/// The regulations' returns to the authority, across every school, for the Education Lead: pupils of compulsory
/// school age with 10 or more continuous school days of unauthorised absence (the procedure's own rule, run for
/// today without recording), and every deletion from a register this school year with the day it is due on the
/// return. Each is a page and a CSV file.
enum ReturnsController {
    struct Line: Sendable {
        let cells: [String]
    }

    @Sendable static func page(_ request: Request) async throws -> Response {
        let text = request.text
        let plain = { (key: String) in text(key, [:]) }
        let absence = try await continuousAbsence(request)
        let deletions = try await deletions(request)
        let names = try await request.names()
        // The page reads as words: dates with their weekday, people by name, and the pupil by name (the UPN is
        // the return's own column, in its CSV file).
        func withoutUPN<T>(_ row: [T]) -> [T] { row.enumerated().filter { $0.offset != 1 }.map(\.element) }
        return try Page.render(
            ReturnsPage(
                title: plain("returns.title"), weeklyHref: SiteURL.weeklyReturn.path(),
                absenceCSV: SiteURL.continuousAbsenceCSV.path(),
                absenceColumns: withoutUPN(continuousColumns).map { plain("returns.column.\($0)") },
                absence: absence.map { line in
                    var cells = line
                    cells[3] = DateText.day(stored: cells[3], text)
                    cells[4] = DateText.day(stored: cells[4], text)
                    cells[6] = plain(cells[6] == "yes" ? "common.yes" : "common.no")
                    return Line(cells: withoutUPN(cells))
                }, deletionsCSV: SiteURL.deletionsCSV.path(),
                deletionColumns: withoutUPN(deletionColumns).map { plain("returns.column.\($0)") },
                deletions: deletions.map { line in
                    var cells = line
                    cells[3] = DateText.day(stored: cells[3], text)
                    cells[4] = DateText.day(stored: cells[4], text)
                    cells[5] = Catalogue.known("roll.ground.\(cells[5])", text) ?? cells[5]
                    cells[7] = RecordWords.actor(cells[7], names: names, text: text)
                    cells[8] = DateText.moment(stored: cells[8], text)
                    return Line(cells: withoutUPN(cells))
                }), request: request)
    }

    @Sendable static func continuousAbsenceCSV(_ request: Request) async throws -> Response {
        try await file(
            request, columns: continuousColumns, rows: try await continuousAbsence(request),
            name: "continuous-absence.csv")
    }

    @Sendable static func deletionsCSV(_ request: Request) async throws -> Response {
        try await file(request, columns: deletionColumns, rows: try await deletions(request), name: "deletions.csv")
    }

    static let continuousColumns = ["school", "upn", "name", "from", "to", "school_days", "on_queue"]
    static let deletionColumns = [
        "school", "upn", "name", "off_roll_on", "return_by", "ground", "new_school", "recorded_by", "recorded_at",
    ]

    /// Each run of 10 or more continuous school days of unauthorised absence this school year, for a pupil of
    /// compulsory school age when it began.
    static func continuousAbsence(_ request: Request) async throws -> [[String]] {
        let store = request.context.store
        let run = try await store.procedure.runProcedure(
            policy: request.context.policy, asOf: request.context.today, dryRun: true)
        let lines = run.lines.filter { $0.due.action == .continuousAbsenceReport }
        let pupils = try await store.reference.pupils(lines.map(\.upn))
        return lines.compactMap { line in
            guard let pupil = pupils[line.upn], let first = line.due.sessions.first?.date,
                let last = line.due.sessions.last?.date,
                CompulsorySchoolAge(dateOfBirth: pupil.dateOfBirth).isOfCompulsorySchoolAge(on: first)
            else { return nil }
            return [
                line.school.description, line.upn.value, pupil.displayName, first.iso, last.iso, String(line.due.count),
                line.alreadyRecorded ? "yes" : "no",
            ]
        }.sorted { ($0[0], $0[3], $0[1]) < ($1[0], $1[3], $1[1]) }
    }

    /// Deletions this school year, with the last day for the return (10 school days after, by the school's calendar).
    static func deletions(_ request: Request) async throws -> [[String]] {
        let store = request.context.store
        let deletions = try await store.roll.rollDeletions(since: request.context.today.academicYear.firstDay)
        let pupils = try await store.reference.pupils(deletions.map(\.upn))
        var calendars: [LAESTAB: SchoolCalendar] = [:]
        var rows: [[String]] = []
        for deletion in deletions {
            if calendars[deletion.school] == nil, let school = try await store.reference.school(deletion.school) {
                calendars[deletion.school] = try await store.reference.calendar(for: school.school)
            }
            let due = calendars[deletion.school]?.schoolDay(
                RollRemovalRules.returnWithinSchoolDays, after: deletion.offRollOn)
            rows.append([
                deletion.school.description, deletion.upn.value, pupils[deletion.upn]?.displayName ?? "",
                deletion.offRollOn.iso, due?.iso ?? "", deletion.groundText, deletion.newSchool?.description ?? "",
                deletion.recordedBy, deletion.recordedAt,
            ])
        }
        return rows
    }

    /// A return as a CSV file; the export is itself recorded.
    static func file(_ request: Request, columns: [String], rows: [[String]], name: String) async throws -> Response {
        var text = CSV.line(columns)
        for row in rows { text += CSV.line(row) }
        try await request.context.store.auditTrail.record(
            AuditEvent(actor: request.actor, action: "export", subject: name, after: "{\"rows\":\(rows.count)}"))
        let response = Response(status: .ok, body: .init(string: text))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        response.headers.contentDisposition = .init(.attachment, filename: name)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }
}

struct ReturnsPage: PageModel {
    static let template = "returns"

    let title: String
    let weeklyHref: String
    let absenceCSV: String
    let absenceColumns: [String]
    let absence: [ReturnsController.Line]
    let deletionsCSV: String
    let deletionColumns: [String]
    let deletions: [ReturnsController.Line]
}

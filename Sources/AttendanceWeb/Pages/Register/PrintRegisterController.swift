import AttendanceCore
import AttendanceInterop
import AttendanceStore
import Vapor

/// The printable register: pupils down, sessions across, codes in cells, totals per pupil, corrected marks
/// starred; A4 landscape when printed. Also as CSV.
enum PrintRegisterController {
    @Sendable static func page(_ request: Request) async throws -> Response {
        guard case .registrationGroup(let placement) = request.target else { throw Abort(.notFound) }
        let store = request.context.store
        let stored = try await store.reference.requireSchool(placement.school)
        let calendar = try await store.reference.calendar(for: stored.school)
        let today = request.context.today
        let end = try request.queryDate("to") ?? today
        let start = try request.queryDate("from") ?? SchoolWeek.current(on: end).start
        guard let range = DateRange(start, end), range.dayCount <= 100 else {
            throw WebError.badQuery("to", DateRange(start, end) == nil ? .backwards : .longerThan(days: 100))
        }
        let days = calendar.schoolDays(in: range)
        let rows = try await store.registers.groupMarks(
            school: stored.school.laestab, group: placement.group, in: range)
        let codes = store.codes
        let lines = rows.map { row -> PrintRegisterPage.Line in
            var cells: [(code: String, amended: Bool)] = []
            var seen: [AttendanceCode] = []
            for day in days {
                for half in SessionHalf.allCases {
                    let session = SchoolSession(day, half)
                    let code = row.marks[session] ?? (row.onRoll.contains(day) ? "" : "–")
                    cells.append((code, row.amended.contains(session)))
                    if let known = codes[code] { seen.append(known) }
                }
            }
            return PrintRegisterPage.Line(
                pupil: row.pupil, cells: cells, summary: AttendanceSummary(codes: seen, rules: store.rules))
        }
        if request.query[String.self, at: "format"] == "csv" {
            var text = CSV.line(
                ["upn", "surname", "forename"] + days.flatMap { ["\($0.iso) AM", "\($0.iso) PM"] }
                    + ["possible", "attended", "authorised", "unauthorised"])
            for line in lines {
                text += CSV.line(
                    [line.pupil.upn.value, line.pupil.legalSurname, line.pupil.legalForename]
                        + line.cells.map { $0.code + ($0.amended ? "*" : "") }
                        + [
                            line.summary.possible, line.summary.attended, line.summary.authorised,
                            line.summary.unauthorised,
                        ]
                        .map(String.init))
            }
            try await store.auditTrail.record(
                AuditEvent(
                    actor: request.actor, action: "export", school: placement.school,
                    subject: "register \(placement.group) \(range.start)..\(range.end) csv"))
            let response = Response(status: .ok, body: .init(string: text))
            response.headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
            response.headers.contentDisposition = .init(.attachment, filename: "register-\(placement.group).csv")
            response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
            return response
        }
        let page = PrintRegisterPage.make(
            school: stored.school, group: placement.group, range: range, days: days, lines: lines,
            takers: try await store.registers.registerTakers(
                school: stored.school.laestab, group: placement.group, in: range),
            printedBy: try request.signedIn.user.displayName, printedAt: Date(), codes: codes,
            language: request.language, names: try await request.names(), text: { request.text($0, $1) })
        return try Page.render(page, request: request)
    }
}

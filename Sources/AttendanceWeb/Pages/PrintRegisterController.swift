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
        let stored = try await store.requireSchool(placement.school)
        let calendar = try await store.calendar(for: stored.school)
        let today = request.context.today
        let end = try request.queryDate("to") ?? today
        let start = try request.queryDate("from") ?? SchoolWeek.current(on: end).start
        guard let range = DateRange(start, end), range.dayCount <= 100 else {
            throw Abort(.badRequest, reason: "from must be before to, and at most 100 days before it")
        }
        let days = calendar.schoolDays(in: range)
        let rows = try await store.groupMarks(school: stored.school.laestab, group: placement.group, in: range)
        let codes = store.codes
        let lines = rows.map { row -> (pupil: Pupil, cells: [(String, Bool)], summary: AttendanceSummary) in
            var cells: [(String, Bool)] = []
            var seen: [AttendanceCode] = []
            for day in days {
                for half in SessionHalf.allCases {
                    let session = SchoolSession(day, half)
                    let code = row.marks[session] ?? (row.onRoll.contains(day) ? "" : "–")
                    cells.append((code, row.amended.contains(session)))
                    if let known = codes[code] { seen.append(known) }
                }
            }
            return (row.pupil, cells, AttendanceSummary(codes: seen, rules: store.rules))
        }
        if request.query[String.self, at: "format"] == "csv" {
            var text = CSV.line(
                ["upn", "surname", "forename"] + days.flatMap { ["\($0.iso) AM", "\($0.iso) PM"] }
                    + ["possible", "attended", "authorised", "unauthorised"])
            for line in lines {
                text += CSV.line(
                    [line.pupil.upn.value, line.pupil.legalSurname, line.pupil.legalForename]
                        + line.cells.map { $0.0 + ($0.1 ? "*" : "") }
                        + [
                            line.summary.possible, line.summary.attended, line.summary.authorised,
                            line.summary.unauthorised,
                        ]
                        .map(String.init))
            }
            try await store.audit(
                AuditEvent(
                    actor: request.actor, action: "export", school: placement.school,
                    subject: "register \(placement.group) \(range.start)..\(range.end) csv"))
            let response = Response(status: .ok, body: .init(string: text))
            response.headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
            response.headers.contentDisposition = .init(.attachment, filename: "register-\(placement.group).csv")
            response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
            return response
        }
        let principal = try request.signedIn
        let base = SiteURL.printRegister(placement.school, group: placement.group)
        var values: [String: Any] = [
            "title": request.text("print.title", ["group": placement.group]),
            "schoolLine": request.text(
                "print.school",
                [
                    "school": stored.school.name, "la": String(stored.school.laNumber),
                    "estab": String(format: "%04d", stored.school.estabNumber),
                ]),
            "rangeLine": request.text("print.range", ["from": range.start.iso, "to": range.end.iso]),
            "printedLine": request.text(
                "print.printed",
                [
                    "time": String(Timestamp.text(Date()).prefix(16)).replacingOccurrences(of: "T", with: " "),
                    "name": principal.user.displayName,
                ]),
            "action": base, "from": range.start.iso, "to": range.end.iso,
            "csvHref": SiteURL.printRegister(
                placement.school, group: placement.group,
                query: ["from": range.start.iso, "to": range.end.iso, "format": "csv"]),
            "csvLabel": request.text("print.csv"), "fromLabel": request.text("print.from"),
            "toLabel": request.text("print.to"),
            "show": request.text("registers.show"), "pupilLabel": request.text("register.pupil"),
            "totalLabel": request.text("print.total"), "amendedKey": request.text("print.amendedKey"),
            "codesKey": request.text("pupil.codesKey"),
            "days": days.map { ["label": String($0.iso.suffix(5)), "am": "AM", "pm": "PM"] },
            "rows": lines.map { line -> [String: Any] in
                [
                    "name": "\(line.pupil.legalSurname), \(line.pupil.legalForename)", "upn": line.pupil.upn.value,
                    "cells": line.cells.map { cell -> [String: Any] in
                        var values: [String: Any] = ["code": cell.0]
                        if cell.1 { values["amended"] = true }
                        return values
                    },
                    "possible": line.summary.possible, "attended": line.summary.attended,
                    "authorised": line.summary.authorised, "unauthorised": line.summary.unauthorised,
                ]
            },
            "codes": codes.codes.map { ["code": $0.code, "name": $0.name(in: request.language)] },
        ]
        return try Page.render("print", values, request: request)
    }
}

import AttendanceCore
import AttendanceInterop
import AttendanceStore
import Foundation
import Vapor

/// A subject access request under UK GDPR: everything the record holds about a pupil, as one zip of CSV files (a
/// table each, as stored, and the marks in words) and their letters as sent (PDF, or HTML where no PDF was made),
/// with a README in the reader's language. For the head teacher of the pupil's school and the education lead;
/// each export is a line in the audit trail.
enum SubjectAccessController {
    @Sendable static func download(_ request: Request) async throws -> Response {
        guard let upn = request.parameters.get("upn").flatMap({ try? UPN($0) }) else { throw Abort(.notFound) }
        let store = request.context.store
        guard let stored = try await store.reference.pupil(upn) else { throw Abort(.notFound) }
        let export = try await store.dataProtection.subjectAccess(upn)
        let language = request.language
        let today = request.context.today
        var zip = ZipArchive()
        var letterFiles = 0
        for table in export.tables {
            var rows = table.rows
            // A letter's kept copy is a file of its own, named in its row.
            if table.name == "letters" {
                let id = table.columns.firstIndex(of: "id")
                for (columnIndex, column) in table.columns.enumerated() where column == "pdf" || column == "html" {
                    for rowIndex in rows.indices where !rows[rowIndex][columnIndex].isEmpty {
                        let name = "letters/\(id.map { rows[rowIndex][$0] } ?? String(rowIndex)).\(column)"
                        let value = rows[rowIndex][columnIndex]
                        zip.add(
                            name, column == "pdf" ? Data(base64Encoded: value) ?? Data(value.utf8) : Data(value.utf8))
                        rows[rowIndex][columnIndex] = name
                        letterFiles += 1
                    }
                }
            }
            zip.add(
                "tables/\(table.name).csv",
                Data((CSV.line(table.columns) + rows.map(CSV.line).joined()).utf8))
        }
        let codes = store.codes
        let marks =
            CSV.line([
                "date", "session", "code", "meaning", "minutes_late", "note", "recorded_by", "recorded_at",
                "made_on_device_at",
            ])
            + export.marks.map {
                CSV.line([
                    $0.mark.session.date.iso, $0.mark.session.half.rawValue, $0.mark.code,
                    codes[$0.mark.code]?.name(in: language) ?? "", $0.mark.minutesLate.map(String.init) ?? "",
                    $0.mark.note ?? "", $0.recordedBy, Timestamp.text($0.recordedAt),
                    $0.madeOnDeviceAt.map(Timestamp.text) ?? "",
                ])
            }.joined()
        zip.add("marks.csv", Data(marks.utf8))
        let name = "\(stored.pupil.legalForename) \(stored.pupil.legalSurname)"
        let readme = [
            request.text("subjectAccess.readme.title", ["name": name, "upn": upn.value]),
            request.text("subjectAccess.readme.made", ["day": DateText.day(today, request.text)]),
            "",
            request.text("subjectAccess.readme.marks", ["count": String(export.marks.count)]),
            request.text("subjectAccess.readme.tables", ["count": String(export.tables.count)]),
            request.text("subjectAccess.readme.letters", ["count": String(letterFiles)]),
            "",
        ]
        zip.add("README.txt", Data((readme.joined(separator: "\r\n") + "\r\n").utf8))
        try await store.auditTrail.record(
            AuditEvent(
                actor: request.actor, action: "subject_access", upn: upn, subject: upn.value,
                after: auditJSON(["tables": String(export.tables.count), "marks": String(export.marks.count)])))
        let response = Response(status: .ok, body: .init(data: zip.data))
        response.headers.contentType = HTTPMediaType(type: "application", subType: "zip")
        response.headers.contentDisposition = .init(
            .attachment, filename: "subject-access-\(upn.value)-\(today.iso).zip")
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }
}

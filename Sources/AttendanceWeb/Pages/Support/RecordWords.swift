import AttendanceCore
import AttendanceStore
import Vapor

/// What the record says about who did something and why, in the reader's language: the program's own names and
/// reasons in words, a person's as they were written. Used by every page that shows who changed a mark, took a
/// register or wrote an audit line.
enum RecordWords {
    typealias Text = (String, [String: String]) -> String

    /// Who: a person's email as it is; the program's own actors ("system", the demo's loader, an import) in words.
    static func actor(_ stored: String, text: Text) -> String {
        if stored == AuditActor.system.name { return text("actor.system", [:]) }
        if stored == "demo" || stored.hasPrefix("demo:") { return text("actor.demo", [:]) }
        if stored == "import" { return text("actor.import", [:]) }
        return stored
    }

    /// Why a mark changed: the program's reasons in words, a person's as written.
    static func reason(_ stored: String?, text: Text) -> String {
        guard let stored else { return "" }
        switch AmendmentReason(stored: stored) {
        case .written(let words): return words
        case .noReasonReceived(let days): return text("reason.noReasonReceived", ["days": String(days)])
        case .noLongerDueAfterCorrection: return text("reason.noLongerDueAfterCorrection", [:])
        case .imported(let file): return text("reason.imported", ["file": file])
        case .lateBook(let time): return text("reason.lateBook", ["time": time])
        case .leaveDecision(let id): return text("reason.leaveDecision", ["id": String(id)])
        case .parentReport(let id): return text("reason.parentReport", ["id": String(id)])
        }
    }
}

/// Roles in words: "Head teacher, Ysgol Uwchradd Glan Alyn (6654001)".
enum RoleText {
    /// - Parameter names: the schools' names by LAESTAB; a school not in it is named by its number alone.
    static func words(_ grant: RoleGrant, names: [LAESTAB: String], text: RecordWords.Text) -> String {
        var words = text("role.\(grant.role.rawValue)", [:])
        if let school = grant.school { words += ", " + (names[school].map { "\($0) (\(school))" } ?? "\(school)") }
        if !grant.yearGroups.isEmpty {
            words += ": " + text("column.year", [:]) + " " + grant.yearGroups.joined(separator: ", ")
        }
        if !grant.registrationGroups.isEmpty {
            words += ": " + text("column.group", [:]) + " " + grant.registrationGroups.joined(separator: ", ")
        }
        if let child = grant.child { words += ": \(child)" }
        return words
    }

    static func describe(_ grants: [RoleGrant], request: Request) async throws -> [String] {
        let names = Dictionary(
            uniqueKeysWithValues: try await request.context.store.reference.schools().map {
                ($0.school.laestab, $0.school.name)
            })
        return grants.map { words($0, names: names, text: request.text) }
    }
}

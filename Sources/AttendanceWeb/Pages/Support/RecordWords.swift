import AttendanceCore
import AttendanceStore
import Vapor

/// What the record says about who did something and why, in the reader's language: the program's own names and
/// reasons in words, a person's as they were written. Used by every page that shows who changed a mark, took a
/// register or wrote an audit line.
enum RecordWords {
    typealias Text = (String, [String: String]) -> String

    /// Who: a person by their name (the record keeps their email: `names` are the accounts' names by email,
    /// `store.identity.displayNames()`); the program's own actors ("system", the demo's loader, an import) in
    /// words; anyone else as recorded.
    static func actor(_ stored: String, names: [String: String], text: Text) -> String {
        if let name = names[stored] { return name }
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

extension Request {
    /// The accounts' names by email, for a page that says who did something (see `RecordWords.actor`).
    func names() async throws -> [String: String] {
        try await context.store.identity.displayNames()
    }

    /// The schools' names by LAESTAB, for a page that names schools it lists by number.
    func schoolNames() async throws -> [LAESTAB: String] {
        Dictionary(
            try await context.store.reference.schools().map { ($0.school.laestab, $0.school.name) },
            uniquingKeysWith: { first, _ in first })
    }
}

/// Roles in words: "Head teacher, Ysgol Uwchradd Glan Alyn (6654001)", "Parent or carer: Grace Vaughan".
enum RoleText {
    /// - Parameters:
    ///   - names: the schools' names by LAESTAB; a school not in it is named by its number alone.
    ///   - children: a parent's children's names by UPN; a child not in it is named by their UPN.
    static func words(
        _ grant: RoleGrant, names: [LAESTAB: String], children: [UPN: String] = [:], text: RecordWords.Text
    ) -> String {
        var words = text("role.\(grant.role.rawValue)", [:])
        if let school = grant.school { words += ", " + (names[school].map { "\($0) (\(school))" } ?? "\(school)") }
        if !grant.yearGroups.isEmpty {
            words += ": " + text("column.year", [:]) + " " + grant.yearGroups.joined(separator: ", ")
        }
        if !grant.registrationGroups.isEmpty {
            words += ": " + text("column.group", [:]) + " " + grant.registrationGroups.joined(separator: ", ")
        }
        if let child = grant.child { words += ": " + (children[child] ?? child.value) }
        return words
    }

    static func describe(_ grants: [RoleGrant], request: Request) async throws -> [String] {
        let names = try await request.schoolNames()
        let children = try await PupilNames.of(Set(grants.compactMap(\.child)), request)
        return grants.map { words($0, names: names, children: children, text: request.text) }
    }
}

/// Pupils by their names where a page lists things about several of them (the audit trail, a list of changes):
/// a pupil the record no longer holds is shown by their UPN.
enum PupilNames {
    static func of(_ upns: Set<UPN>, _ request: Request) async throws -> [UPN: String] {
        try await request.context.store.reference.pupils(upns).mapValues(\.displayName)
    }
}

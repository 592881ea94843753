import AttendanceCore
import AttendanceStore
import Foundation
import Vapor

/// Community Education Patrols: a patrol logs a child found out of school and sees its own entries; the education
/// lead sees every entry. The child's school sees entries matched to its pupils on its office page and the pupil's
/// timeline.
enum PatrolController {
    @Sendable static func page(_ request: Request) async throws -> Response {
        let notice = request.query[String.self, at: "saved"] != nil ? request.text("patrol.saved") : nil
        return try await render(request, notice: notice, error: nil, status: .ok)
    }

    static func render(_ request: Request, notice: String?, error: String?, status: HTTPStatus) async throws
        -> Response
    {
        let principal = try request.signedIn
        let store = request.context.store
        let text = request.text
        let plain = { (key: String) in text(key, [:]) }
        // The lead sees every entry; a patrol member their own.
        let entries = try await store.esw.patrolEntries(
            by: principal.allows(.viewAuthority, .none) ? nil : principal.user.email)
        let names = try await request.names()
        let schools = try await store.reference.schools().map(\.school).sorted { $0.name < $1.name }
        return try Page.render(
            PatrolPage(
                title: plain("patrol.title"), notice: notice, error: error,
                action: SiteURL.patrols.path(), today: request.context.today.iso,
                schools: [Option(value: "", label: plain("patrol.otherSchool"))]
                    + schools.map { Option(value: $0.laestab.description, label: $0.name) },
                todays: entries.filter { $0.sighting.seenOn == request.context.today }.map {
                    PatrolWords.line($0, names: names, text: text)
                },
                entries: entries.filter { $0.sighting.seenOn != request.context.today }.map {
                    PatrolWords.line($0, names: names, text: text)
                }, words: .init(text: text)),
            request: request,
            status: status)
    }

    @Sendable static func log(_ request: Request) async throws -> Response {
        let form: PatrolForm
        do { form = try request.form(PatrolForm.self) } catch let refusal as FormRefusal {
            return try await render(
                request, notice: nil, error: request.text("patrol.badForm") + request.refusalDetail(refusal),
                status: .unprocessableEntity)
        }
        guard form.seenOn <= request.context.today else {
            return try await render(
                request, notice: nil,
                error: request.text("patrol.badForm") + request.refusalDetail(WebError.badField("seen_on", .future)),
                status: .unprocessableEntity)
        }
        var given = form.schoolGiven
        if given.isEmpty, let school = form.school {
            given = try await request.context.store.reference.school(school)?.school.name ?? ""
        }
        _ = try await request.context.store.esw.logPatrolEntry(
            PatrolSighting(
                seenOn: form.seenOn, seenAt: form.seenAt, place: form.place, nameGiven: form.name,
                schoolGiven: given, school: form.school, reasonGiven: form.reason, accompanied: form.accompanied,
                takenTo: form.takenTo), by: request.actor)
        return Page.redirect(SiteURL.patrols.path(query: ["saved": "1"]))
    }
}

extension PatrolController {
    /// The office's unmatched entries naming the school in the last four weeks, each with the pupils who share a
    /// word of the name given, to match by hand.
    static func unmatched(_ request: Request, school laestab: LAESTAB, today: LocalDate) async throws
        -> [UnmatchedPatrol]
    {
        let store = request.context.store
        let names = try await request.names()
        var result: [UnmatchedPatrol] = []
        for entry in try await store.esw.unmatchedPatrolEntries(school: laestab, since: today.adding(days: -28)) {
            let suggestions = try await store.esw.patrolSuggestions(entry).map {
                Option(value: $0.upn.value, label: "\($0.displayName) (\($0.registrationGroup))")
            }
            result.append(
                UnmatchedPatrol(
                    id: entry.id, line: PatrolWords.line(entry, names: names, text: request.text),
                    action: SiteURL.school(.matchPatrol, laestab, id: entry.id), suggestions: suggestions,
                    hasSuggestions: !suggestions.isEmpty))
        }
        return result
    }

    /// The school matches an entry that named it to one of its pupils.
    @Sendable static func match(_ request: Request) async throws -> Response {
        guard case .school(let laestab) = request.target, let id = request.parameters.get("id", as: Int.self) else {
            throw Abort(.notFound)
        }
        let text = ((try? request.content.get(String.self, at: "upn")) ?? "").trimmingCharacters(in: .whitespaces)
        guard let upn = try? UPN(text) else { throw WebError.refused(.patrolBadUPN) }
        _ = try await request.context.store.esw.matchPatrolEntry(id, to: upn, school: laestab, by: request.actor)
        return Page.redirect(SiteURL.school(.office, laestab, query: ["matched": "1"]))
    }
}

/// An entry naming the school that no pupil was matched to, with the form to match it.
struct UnmatchedPatrol: Sendable {
    let id: Int
    let line: String
    let action: String
    let suggestions: [Option]
    let hasSuggestions: Bool
}

/// A patrol entry in one line, the same on every page that shows it.
enum PatrolWords {
    /// - Parameter matched: the name of the pupil the school matched it to, when the page is the school's.
    static func line(
        _ logged: PatrolEntry, names: [String: String], matched: String? = nil, text: PupilPage.Text
    ) -> String {
        let entry = logged.sighting
        let said = text(
            "patrol.line",
            [
                "on": DateText.day(entry.seenOn, text), "at": entry.seenAt, "place": entry.place,
                "name": entry.nameGiven,
                "school": entry.schoolGiven, "reason": entry.reasonGiven,
                "accompanied": text(entry.accompanied ? "patrol.accompanied" : "patrol.alone", [:]),
                "taken": entry.takenTo, "by": RecordWords.actor(logged.loggedBy, names: names, text: text),
            ])
        return matched.map { said + ". " + text("patrol.matchedTo", ["name": $0]) } ?? said
    }
}

struct PatrolPage: PageModel {
    static let template = "patrols"

    struct Words: Sendable {
        let seenOn: String
        let seenAt: String
        let place: String
        let name: String
        let school: String
        let schoolGiven: String
        let reason: String
        let accompanied: String
        let takenTo: String
        let log: String
        let entriesTitle: String

        init(text: @escaping PupilPage.Text) {
            let plain = { (key: String) in text(key, [:]) }
            seenOn = plain("patrol.seenOn")
            seenAt = plain("patrol.seenAt")
            place = plain("patrol.place")
            name = plain("patrol.name")
            school = plain("patrol.school")
            schoolGiven = plain("patrol.schoolGiven")
            reason = plain("patrol.reason")
            accompanied = plain("patrol.accompaniedLabel")
            takenTo = plain("patrol.takenTo")
            log = plain("patrol.log")
            entriesTitle = plain("patrol.entries")
        }
    }

    let title: String
    let notice: String?
    let error: String?
    let action: String
    let today: String
    let schools: [Option]
    /// The entries seen today, then the earlier ones.
    let todays: [String]
    let entries: [String]
    let words: Words
}

import AttendanceCore
import AttendanceStore
import Foundation
import Vapor

/// An ESW's visit to one of their schools: the pupils below 92% to discuss, each with the way their figure has
/// gone since the last visit, the visits so far, and the form to record this one.
enum SchoolVisitController {
    @Sendable static func page(_ request: Request) async throws -> Response {
        let notice = request.query[String.self, at: "saved"] != nil ? request.text("visit.saved") : nil
        return try await render(request, notice: notice, error: nil, status: .ok)
    }

    static func render(_ request: Request, notice: String?, error: String?, status: HTTPStatus) async throws
        -> Response
    {
        let laestab = try schoolTarget(request)
        let store = request.context.store
        let text = request.text
        let plain = { (key: String) in text(key, [:]) }
        let today = request.context.today
        guard let school = try await store.reference.school(laestab)?.school else { throw Abort(.notFound) }
        let listing = try await store.esw.schoolVisitList(laestab, on: today)
        let cases = Dictionary(
            try await store.esw.eswCases(schools: [laestab]).filter(\.status.isOpen).map { ($0.upn, $0) }
        ) { first, _ in first }
        let names = try await request.names()
        let lines = listing.lines.map { line in
            SchoolVisitPage.Line(
                name: line.pupil.displayName, href: SiteURL.pupil(line.pupil.upn),
                form: "\(line.pupil.yearGroup) / \(line.pupil.registrationGroup)",
                now: line.now.attendancePercentText,
                then: line.atLastVisit?.attendancePercentText ?? "–",
                trend: trendText(line, text: text), trendClass: line.trend.rawValue,
                unauthorised: String(line.now.unauthorised),
                eswCase: cases[line.pupil.upn].map { plain("esw.status.\($0.status.rawValue)") } ?? "")
        }
        let visits = try await store.esw.schoolVisits(laestab).map { visit in
            text(
                "visit.line",
                [
                    "date": DateText.day(visit.on, text), "by": RecordWords.actor(visit.by, names: names, text: text),
                    "with": visit.metWith, "notes": visit.notes,
                ])
        }
        return try Page.render(
            SchoolVisitPage(
                title: text("visit.title", ["school": school.name]),
                intro: listing.lastVisit.map { text("visit.since", ["date": DateText.day($0.on, text)]) }
                    ?? plain("visit.noEarlier"),
                notice: notice, error: error, lines: lines, hasLines: !lines.isEmpty, visits: visits,
                action: SiteURL.school(.schoolVisits, laestab), today: today.iso,
                words: SchoolVisitPage.Words(text: text)),
            request: request, status: status)
    }

    /// "up 1.2 points", "down 0.4 points", "no change", or "first time on the list" when there is nothing to
    /// compare with.
    static func trendText(_ line: VisitListLine, text: PupilPage.Text) -> String {
        guard let change = line.change else { return text("visit.trend.new", [:]) }
        let size = abs(change)
        return text("visit.trend.\(line.trend.rawValue)", ["points": "\(size / 10).\(size % 10)"])
    }

    @Sendable static func record(_ request: Request) async throws -> Response {
        let laestab = try schoolTarget(request)
        let form: SchoolVisitForm
        do {
            form = try request.form(SchoolVisitForm.self)
            // A visit this school year, up to today.
            guard form.on <= request.context.today, form.on >= request.context.today.academicYear.firstDay else {
                throw FormRefusal(WebError.badField("on", .missingOrInvalid))
            }
        } catch let refusal as FormRefusal {
            return try await render(
                request, notice: nil, error: request.text("visit.badForm") + request.refusalDetail(refusal),
                status: .unprocessableEntity)
        }
        _ = try await request.context.store.esw.recordSchoolVisit(
            laestab, on: form.on, metWith: form.metWith, notes: form.notes, by: request.actor)
        return Page.redirect(SiteURL.school(.schoolVisits, laestab, query: ["saved": "1"]))
    }

    static func schoolTarget(_ request: Request) throws -> LAESTAB {
        guard case .school(let laestab) = request.target else { throw Abort(.notFound) }
        return laestab
    }
}

/// The list for an ESW's school visit, the visits recorded, and the form.
struct SchoolVisitPage: PageModel {
    static let template = "school-visits"

    struct Line: Sendable {
        let name: String
        let href: String
        let form: String
        let now: String
        let then: String
        let trend: String
        let trendClass: String
        let unauthorised: String
        let eswCase: String
    }

    struct Words: Sendable {
        let pupil: String
        let form: String
        let now: String
        let then: String
        let trend: String
        let unauthorised: String
        let eswCase: String
        let visitsTitle: String
        let noVisits: String
        let recordTitle: String
        let on: String
        let metWith: String
        let notes: String
        let record: String

        init(text: @escaping PupilPage.Text) {
            let plain = { (key: String) in text(key, [:]) }
            pupil = plain("esw.pupil")
            form = plain("visit.form")
            now = plain("visit.now")
            then = plain("visit.then")
            trend = plain("visit.trend")
            unauthorised = plain("visit.unauthorised")
            eswCase = plain("visit.eswCase")
            visitsTitle = plain("visit.visitsTitle")
            noVisits = plain("visit.noVisits")
            recordTitle = plain("visit.recordTitle")
            on = plain("visit.on")
            metWith = plain("visit.metWith")
            notes = plain("visit.notes")
            record = plain("visit.record")
        }
    }

    let title: String
    let intro: String
    let notice: String?
    let error: String?
    let lines: [Line]
    let hasLines: Bool
    let visits: [String]
    let action: String
    let today: String
    let words: Words
}

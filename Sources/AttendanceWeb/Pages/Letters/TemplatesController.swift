import AttendanceCore
import AttendanceLetters
import AttendanceStore
import Vapor

/// The authority's wording of each letter in each language: list, edit with a live preview, save, go back to
/// the shipped text. A wording naming an unknown placeholder is refused at preview and never saved.
enum TemplatesController {
    @Sendable static func list(_ request: Request) async throws -> Response {
        let overrides = try await request.context.store.letters.letterTemplateOverrides()
        let letters = request.context.letters
        let page = LetterTemplatesPage.make(
            changed: { kind, language in
                overrides["\(language.rawValue)/\(kind.rawValue)"] != nil
                    || letters.templates.source(kind, language) != letters.templates.shippedSource(kind, language)
            }, language: request.language, text: { request.text($0) })
        return try Page.render(page, request: request)
    }

    static func target(_ request: Request) throws -> (LetterKind, Language) {
        guard let kind = request.parameters.get("kind").flatMap(LetterKind.init(rawValue:)),
            let language = request.parameters.get("language").flatMap(Language.init(rawValue:))
        else { throw Abort(.notFound) }
        return (kind, language)
    }

    @Sendable static func edit(_ request: Request) async throws -> Response {
        let (kind, language) = try target(request)
        let overrides = try await request.context.store.letters.letterTemplateOverrides()
        let source = request.context.letters.templates.source(kind, language, overrides: overrides)
        let saved = request.query[String.self, at: "saved"] != nil
        return try await render(
            request, kind, language, source: source, notice: saved ? request.text("templates.saved") : nil, error: nil,
            status: .ok)
    }

    static func render(
        _ request: Request, _ kind: LetterKind, _ language: Language, source: String, notice: String?, error: String?,
        status: HTTPStatus
    ) async throws -> Response {
        let page = LetterTemplatePage.make(
            kind: kind, version: language, source: source, notice: notice, error: error, language: request.language,
            text: { request.text($0, $1) })
        return try Page.render(page, request: request, status: status)
    }

    /// Sample facts for previews: a made-up pupil at the first school, with plausible figures.
    static func sampleFacts(_ request: Request) async throws -> LetterFacts {
        // Previews need a school's name; an authority with no schools yet has nothing to write about.
        guard let school = try await request.context.store.reference.schools().first?.school else {
            throw Abort(.notFound)
        }
        let today = request.context.today
        let pupil = Pupil(
            upn: try UPN("J665400126001"), legalSurname: "Jones", legalForename: "Siôn", preferredSurname: nil,
            preferredForename: nil, dateOfBirth: today.academicYear.previous.firstDay.adding(days: -12 * 365),
            sex: .male,
            yearGroup: "8", registrationGroup: "8W", freeSchoolMeals: false, lookedAfter: false,
            additionalLearningNeeds: false)
        let codes =
            Array(repeating: "/", count: 90) + Array(repeating: "I", count: 12) + Array(repeating: "O", count: 8)
        var facts = LetterFacts(
            pupil: pupil, school: school,
            summary: AttendanceSummary(codes: codes.compactMap { request.context.store.codes[$0] }),
            period: DateRange.yearToDate(today), date: today,
            signatory: try request.signedIn.user.displayName,
            details: [
                "meeting_date": today.adding(days: 7).iso, "meeting_time": "10:00", "meeting_place": school.name,
                "holiday_from": today.adding(days: 14).iso, "holiday_to": today.adding(days: 18).iso,
                "holiday_decision": "refused", "holiday_reason": "—",
            ])
        // A most-improved certificate's earlier figure: the same days a year before, a little lower.
        let earlierCodes = Array(repeating: "/", count: 80) + Array(repeating: "O", count: 30)
        let earlierDays =
            DateRange(facts.period.start.adding(days: -364), facts.period.end.adding(days: -364)) ?? facts.period
        facts.earlier = (
            earlierDays, AttendanceSummary(codes: earlierCodes.compactMap { request.context.store.codes[$0] })
        )
        return facts
    }

    /// The letter as it would print with the wording sent, or 422 with why it cannot be used.
    @Sendable static func preview(_ request: Request) async throws -> Response {
        let (kind, language) = try target(request)
        let source = (try? request.content.get(String.self, at: "body")) ?? ""
        do {
            let html = try request.context.letters.preview(
                kind, language, source: source, facts: try await sampleFacts(request))
            return Response.letterDocument(html)
        } catch let problem as LetterTemplateProblem {
            // Shown in the preview frame: a short page, in the reader's language, saying what is wrong.
            let text = refusal(request, problem)
            return Response.letterDocument(
                "<!DOCTYPE html><html lang=\"\(request.language.rawValue)\"><meta charset=\"utf-8\"><title>\(request.text("templates.previewTitle"))</title>"
                    + "<p role=\"alert\" style=\"color:#a00;font:1rem sans-serif\">"
                    + text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                    + "</p></html>", status: .unprocessableEntity)
        }
    }

    /// What is wrong with a wording, in the reader's language.
    static func refusal(_ request: Request, _ problem: LetterTemplateProblem) -> String {
        let detail: String
        switch problem.reason {
        case .unknownPlaceholders(let names):
            detail = request.text(
                "templates.unknown", ["names": names.map { "{{\($0)}}" }.joined(separator: ", ")])
        case .syntax: detail = request.text("templates.syntax")
        case .markup(let text): detail = request.text("templates.markup", ["text": text])
        }
        return request.text("templates.refused", ["problem": "\(problem.template): \(detail)"])
    }

    @Sendable static func save(_ request: Request) async throws -> Response {
        let (kind, language) = try target(request)
        let source = (try? request.content.get(String.self, at: "body")) ?? ""
        do {
            _ = try LetterTemplates.compile(source, name: "\(language.rawValue)/\(kind.rawValue)")
        } catch let problem as LetterTemplateProblem {
            return try await render(
                request, kind, language, source: source, notice: nil,
                error: refusal(request, problem), status: .unprocessableEntity
            )
        }
        try await request.context.store.letters.setLetterTemplate(kind, language, body: source, by: request.actor)
        return Page.redirect(SiteURL.letterTemplate(kind, language, query: ["saved": "1"]))
    }

    @Sendable static func reset(_ request: Request) async throws -> Response {
        let (kind, language) = try target(request)
        try await request.context.store.letters.setLetterTemplate(kind, language, body: nil, by: request.actor)
        return Page.redirect(SiteURL.letterTemplate(kind, language, query: ["saved": "1"]))
    }
}

import AttendanceCore
import AttendanceLetters
import AttendanceStore
import Vapor

/// The authority's wording of each letter in each language: list, edit with a live preview, save, go back to
/// the shipped text. A wording naming an unknown placeholder is refused at preview and never saved.
enum TemplatesController {
    @Sendable static func list(_ request: Request) async throws -> Response {
        let overrides = try await request.context.store.letterTemplateOverrides()
        let letters = request.context.letters
        let rows = LetterKind.allCases.map { kind -> [String: Any] in
            [
                "letter": request.text("letters.kind.\(kind.rawValue)"),
                "languages": Language.allCases.map { language -> [String: Any] in
                    let key = "\(language.rawValue)/\(kind.rawValue)"
                    let changed =
                        overrides[key] != nil
                        || letters.templates.source(kind, language) != letters.templates.shippedSource(kind, language)
                    return [
                        "href": SiteURL.letterTemplate(kind, language),
                        "label": request.text("templates.edit") + ": " + request.text("language.\(language.rawValue)"),
                        "state": request.text(changed ? "templates.changed" : "templates.shipped"),
                    ]
                },
            ]
        }
        return try Page.render(
            "letter-templates",
            [
                "title": request.text("templates.title"), "intro": request.text("templates.intro"), "rows": rows,
                "letterLabel": request.text("letters.letter"),
                "placeholdersTitle": request.text("templates.placeholders"),
                "placeholders": placeholders(request),
            ], request: request)
    }

    static func placeholders(_ request: Request) -> [[String: String]] {
        LetterPlaceholder.all.map {
            [
                "tag": $0.isSection ? "{{#\($0.name)}}…{{/\($0.name)}}" : "{{\($0.name)}}",
                "text": $0.description(in: request.language),
            ]
        }
    }

    static func target(_ request: Request) throws -> (LetterKind, Language) {
        guard let kind = request.parameters.get("kind").flatMap(LetterKind.init(rawValue:)),
            let language = request.parameters.get("language").flatMap(Language.init(rawValue:))
        else { throw Abort(.notFound) }
        return (kind, language)
    }

    @Sendable static func edit(_ request: Request) async throws -> Response {
        let (kind, language) = try target(request)
        let overrides = try await request.context.store.letterTemplateOverrides()
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
        var values: [String: Any] = [
            "title": request.text(
                "templates.editTitle",
                [
                    "letter": request.text("letters.kind.\(kind.rawValue)"),
                    "language": request.text("language.\(language.rawValue)"),
                ]),
            "saveAction": SiteURL.letterTemplate(kind, language),
            "previewAction": SiteURL.letterTemplate(kind, language, .templatePreview),
            "resetAction": SiteURL.letterTemplate(kind, language, .templateReset), "source": source,
            "lang": request.language.rawValue, "bodyLang": language.rawValue,
            "bodyLabel": request.text("templates.body"), "previewLabel": request.text("templates.preview"),
            "saveLabel": request.text("templates.save"), "resetLabel": request.text("templates.reset"),
            "previewTitle": request.text("templates.previewTitle"), "listHref": SiteURL.templates.path(),
            "listLabel": request.text("templates.title"), "placeholdersTitle": request.text("templates.placeholders"),
            "placeholders": placeholders(request),
        ]
        if let notice { values["notice"] = notice }
        if let error { values["error"] = error }
        return try Page.render("letter-template", values, request: request, status: status)
    }

    /// Sample facts for previews: a made-up pupil at the first school, with plausible figures.
    static func sampleFacts(_ request: Request) async throws -> LetterFacts {
        // Previews need a school's name; an authority with no schools yet has nothing to write about.
        guard let school = try await request.context.store.schools().first?.school else { throw Abort(.notFound) }
        let today = request.context.today
        let pupil = Pupil(
            upn: try UPN("J665400126001"), legalSurname: "Jones", legalForename: "Siôn", preferredSurname: nil,
            preferredForename: nil, dateOfBirth: LocalDate(year: today.year - 12, month: 3, day: 14)!, sex: .male,
            yearGroup: "8", registrationGroup: "8W", freeSchoolMeals: false, lookedAfter: false,
            additionalLearningNeeds: false)
        let codes =
            Array(repeating: "/", count: 90) + Array(repeating: "I", count: 12) + Array(repeating: "O", count: 8)
        return LetterFacts(
            pupil: pupil, school: school,
            summary: AttendanceSummary(codes: codes.compactMap { request.context.store.codes[$0] }),
            period: DateRange(today.academicYear.firstDay, today)!, date: today,
            signatory: try request.signedIn.user.displayName,
            details: [
                "meeting_date": today.adding(days: 7).iso, "meeting_time": "10:00", "meeting_place": school.name,
                "holiday_from": today.adding(days: 14).iso, "holiday_to": today.adding(days: 18).iso,
                "holiday_decision": "refused", "holiday_reason": "—",
            ])
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
        try await request.context.store.setLetterTemplate(kind, language, body: source, by: request.actor)
        return Page.redirect(SiteURL.letterTemplate(kind, language, query: ["saved": "1"]))
    }

    @Sendable static func reset(_ request: Request) async throws -> Response {
        let (kind, language) = try target(request)
        try await request.context.store.setLetterTemplate(kind, language, body: nil, by: request.actor)
        return Page.redirect(SiteURL.letterTemplate(kind, language, query: ["saved": "1"]))
    }
}

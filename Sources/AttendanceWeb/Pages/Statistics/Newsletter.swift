import AttendanceCore
import AttendanceInterop
import AttendanceStore
import Vapor

/// The whole school's figure for last week for the school's newsletter and website (issue 34, point 4; the
/// policy: "parents should also be notified through the schools regular communication channels"): a short text in
/// Welsh and in English, whatever the reader's language, and the same as an image. No pupil is named.
enum NewsletterController {
    /// What both the page and the image say.
    struct Figures {
        let school: String
        let week: DateRange
        let lastWeek: AttendanceSummary
        let target: AttendanceTarget?
    }

    static func figures(_ request: Request, _ laestab: LAESTAB) async throws -> Figures {
        let store = request.context.store
        let week = FigureViews.previousWeek(request)
        let lines = try await store.registers.schoolReport(laestab, in: week)
        return Figures(
            school: try await store.reference.requireSchool(laestab).school.name, week: week,
            lastWeek: lines.reduce(AttendanceSummary.empty(rules: store.rules)) { $0 + $1.summary },
            target: try await store.targets.target(laestab, for: week.end.academicYear))
    }

    /// The short text in one language: last week's figure, and the target with whether the week met it, when
    /// there is one; when no mark counts last week (a holiday, or registers not yet kept), it says so and gives no
    /// figure.
    static func text(_ figures: Figures, _ language: Language, strings: Strings) -> String {
        let say = { (key: String, values: [String: String]) in strings(key, language, values) }
        let week = figures.week.readable(language)
        guard figures.lastWeek.possible > 0 else {
            return say("newsletter.noSessions", ["school": figures.school, "week": week])
        }
        var text = say(
            "newsletter.figure",
            ["school": figures.school, "week": week, "percent": figures.lastWeek.attendancePercentText])
        if let target = figures.target {
            text += " " + say("newsletter.target", ["target": target.percentText])
            text += " " + say(target.isMissed(by: figures.lastWeek) ? "newsletter.below" : "newsletter.met", [:])
        }
        return text + " " + say("newsletter.thanks", [:])
    }

    @Sendable static func page(_ request: Request) async throws -> Response {
        guard case .school(let laestab) = request.target else { throw Abort(.notFound) }
        let found = try await figures(request, laestab)
        let strings = request.context.strings
        let page = NewsletterPage(
            title: request.text("newsletter.title", ["school": found.school]),
            welsh: text(found, .cy, strings: strings), english: text(found, .en, strings: strings),
            image: NewsletterImage.svg(found, strings: strings),
            imageHref: SiteURL.school(.newsletterImage, laestab),
            dataCheck: DataCheckWords.line(
                try await request.context.store.registers.lastDataCheck(laestab), { request.text($0, $1) }))
        return try Page.render(page, request: request)
    }

    /// The image as a file to put in a newsletter or on the school's website.
    @Sendable static func image(_ request: Request) async throws -> Response {
        guard case .school(let laestab) = request.target else { throw Abort(.notFound) }
        let found = try await figures(request, laestab)
        let response = Response(
            status: .ok, body: .init(string: NewsletterImage.svg(found, strings: request.context.strings)))
        response.headers.contentType = HTTPMediaType(type: "image", subType: "svg+xml")
        response.headers.replaceOrAdd(
            name: .contentDisposition,
            value: "attachment; filename=\"attendance-\(laestab)-\(found.week.start.iso).svg\"")
        return response
    }
}

struct NewsletterPage: PageModel {
    static let template = "newsletter"
    let title: String
    let welsh: String
    let english: String
    /// The image drawn on the server, shown on the page as it will be in the file.
    let image: String
    let imageHref: String
    /// The data check's state: the figure is only as good as the marks.
    let dataCheck: String
}

/// The newsletter's image: 1200 × 630 (a web page's shared-image size), Welsh first, the figure large, the
/// target beneath; its title and description say the same in words.
enum NewsletterImage {
    static func svg(_ figures: NewsletterController.Figures, strings: Strings) -> String {
        let figure = figures.lastWeek.possible > 0 ? figures.lastWeek.attendancePercentText : "–"
        // Welsh first (`Language.allCases` is in that order), each line marked with its language (SVG 2 takes a
        // title and a description per language).
        func said(_ key: String, _ language: Language, _ values: [String: String] = [:]) -> String {
            XMLText.escape(strings(key, language, values))
        }
        func line(_ y: Int, size: Int, _ language: Language, _ words: String, bold: Bool = false) -> String {
            """
            <text x="600" y="\(y)" text-anchor="middle" font-size="\(size)"\(bold ? " font-weight=\"bold\"" : "") \
            fill="#0b0c0c" lang="\(language.rawValue)">\(words)</text>
            """
        }
        var lines = [
            line(180, size: 36, .cy, said("newsletter.imageLabel", .cy)),
            line(228, size: 36, .en, said("newsletter.imageLabel", .en)),
            line(480, size: 30, .cy, XMLText.escape(figures.week.readable(.cy))),
            line(516, size: 30, .en, XMLText.escape(figures.week.readable(.en))),
        ]
        if let goal = figures.target {
            lines.append(line(566, size: 32, .cy, said("newsletter.imageTarget", .cy, ["target": goal.percentText])))
            lines.append(line(604, size: 32, .en, said("newsletter.imageTarget", .en, ["target": goal.percentText])))
        }
        let titles = Language.allCases.map { language in
            """
            <title lang="\(language.rawValue)">\(said("newsletter.imageLabel", language)): \(XMLText.escape(figure))</title>
            """
        }
        let descriptions = Language.allCases.map { language in
            """
            <desc lang="\(language.rawValue)">\
            \(XMLText.escape(NewsletterController.text(figures, language, strings: strings)))</desc>
            """
        }
        return """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1200 630" width="1200" height="630" role="img" \
            class="newsletter-image" font-family="sans-serif">
            \(titles.joined(separator: "\n"))
            \(descriptions.joined(separator: "\n"))
            <rect width="1200" height="630" fill="#ffffff" stroke="#1d70b8" stroke-width="12"/>
            <text x="600" y="110" text-anchor="middle" font-size="44" font-weight="bold" fill="#0b0c0c">\
            \(XMLText.escape(figures.school))</text>
            <text x="600" y="410" text-anchor="middle" font-size="180" font-weight="bold" fill="#1d70b8">\
            \(XMLText.escape(figure))</text>
            \(lines.joined(separator: "\n"))
            </svg>
            """
    }
}

import AttendanceCore
import AttendanceStore
import Vapor

/// The data check before any report (issue 34, point 10): the office, senior managers and the head run it and
/// see each problem with the pupil named; every report says the latest run's state and when it ran
/// (`DataCheckWords`).
enum DataCheckController {
    @Sendable static func page(_ request: Request) async throws -> Response {
        guard case .school(let laestab) = request.target else { throw Abort(.notFound) }
        let store = request.context.store
        let run = try await store.registers.lastDataCheck(laestab)
        let pupils = try await store.reference.pupils(run?.problems.map(\.upn) ?? [])
        let page = DataCheckPage.make(
            school: try await store.reference.requireSchool(laestab).school.name, run: run, pupils: pupils,
            names: try await request.names(), action: SiteURL.school(.dataCheck, laestab),
            noMarksDays: request.context.policy.casework.noMarksSchoolDays, text: { request.text($0, $1) })
        return try Page.render(page, request: request)
    }

    @Sendable static func run(_ request: Request) async throws -> Response {
        guard case .school(let laestab) = request.target else { throw Abort(.notFound) }
        try await request.context.store.registers.checkData(
            laestab, today: request.context.today,
            noMarksSchoolDays: request.context.policy.casework.noMarksSchoolDays, by: request.actor)
        return Page.redirect(SiteURL.school(.dataCheck, laestab))
    }
}

/// The data check's state as a report says it: how many problems the latest run found, and when it ran.
enum DataCheckWords {
    /// The state in a table's cell: "No problems (4 Dec 2026)", "3 problems (…)", "Not run".
    static func short(_ run: DataCheckRun?, _ text: @escaping (String, [String: String]) -> String) -> String {
        guard let run else { return text("dataCheck.shortNotRun", [:]) }
        let when = DateText.day(run.checkedOn, text)
        return run.problems.isEmpty
            ? text("dataCheck.shortClear", ["when": when])
            : text("dataCheck.shortProblems", ["count": String(run.problems.count), "when": when])
    }

    static func line(_ run: DataCheckRun?, _ text: @escaping (String, [String: String]) -> String) -> String {
        guard let run else { return text("dataCheck.notRun", [:]) }
        let when = DateText.moment(stored: run.at, text)
        return run.problems.isEmpty
            ? text("dataCheck.stateClear", ["when": when])
            : text("dataCheck.stateProblems", ["count": String(run.problems.count), "when": when])
    }
}

struct DataCheckPage: PageModel {
    static let template = "data-check"

    struct Problem: Sendable {
        let name: String
        let href: String
        let form: String
        let detail: String
    }

    struct Section: Sendable {
        let id: String
        let heading: String
        let explanation: String
        let problems: [Problem]
    }

    let title: String
    let state: String
    let action: String
    let sections: [Section]
    let clear: Bool

    static func make(
        school: String, run: DataCheckRun?, pupils: [UPN: Pupil], names: [String: String], action: String,
        noMarksDays: Int, text: @escaping (String, [String: String]) -> String
    ) -> DataCheckPage {
        var state = DataCheckWords.line(run, text)
        if let run { state += " " + text("dataCheck.by", ["by": RecordWords.actor(run.by, names: names, text: text)]) }
        let sections = DataProblem.Kind.allCases.compactMap { kind -> Section? in
            let found = run?.problems.filter { $0.kind == kind } ?? []
            guard !found.isEmpty else { return nil }
            return Section(
                id: kind.rawValue, heading: text("dataCheck.kind.\(kind.rawValue)", [:]),
                explanation: text("dataCheck.explain.\(kind.rawValue)", ["days": String(noMarksDays)]),
                problems: found.map { problem in
                    let pupil = pupils[problem.upn]
                    return Problem(
                        name: pupil?.displayName ?? text("dataCheck.unknownPupil", [:]),
                        href: SiteURL.pupil(problem.upn), form: pupil?.registrationGroup ?? "",
                        detail: text(
                            "dataCheck.detail.\(problem.kind.rawValue)",
                            ["count": String(problem.count), "from": DateText.day(problem.from, text)]))
                })
        }
        return DataCheckPage(
            title: text("dataCheck.title", ["school": school]), state: state, action: action, sections: sections,
            clear: run != nil && sections.isEmpty)
    }
}

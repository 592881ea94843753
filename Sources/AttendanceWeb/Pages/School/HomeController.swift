import AttendanceCore
import AttendanceStore
import Vapor

/// Each role's home page: the schools it may see with this week's figure, and the pupils it looks after.
enum HomeController {
    struct SchoolLine {
        let name: String
        let laestab: String
        let href: String
        let phase: String
        let pupils: Int
        let attendance: String
        let band: String?
        let bandClass: String?
    }

    /// The schools table, apart from the HTTP handler so it can be tested directly.
    /// - Parameter today: the day the "on roll" count is for.
    static func lines(
        store: Store, schools visible: Set<LAESTAB>?, week: DateRange, today: LocalDate, language: Language,
        strings: Strings
    ) async throws -> [SchoolLine] {
        var lines: [SchoolLine] = []
        for stored in try await store.reference.schools() where visible?.contains(stored.school.laestab) ?? true {
            let report = try await store.registers.schoolReport(stored.school.laestab, in: week)
            let total = report.reduce(AttendanceSummary.empty(rules: store.rules)) { $0 + $1.summary }
            lines.append(
                SchoolLine(
                    name: stored.school.name, laestab: stored.school.laestab.description,
                    href: SiteURL.school(stored.school.laestab),
                    phase: strings("phase.\(stored.school.phase.rawValue)", language),
                    pupils: try await store.reference.onRoll(stored.school.laestab, on: today).count,
                    attendance: total.possible > 0 ? total.attendancePercentText : strings("home.noMarks", language),
                    band: total.band.map { strings($0.textKey, language) }, bandClass: total.band?.cssClass))
        }
        return lines
    }

    /// The pupils a user looks after: a parent's children, a tutor's forms, a head of year's years, and for
    /// school leaders and education social workers, the pupils below 92%.
    static func pupils(for grants: [RoleGrant], request: Request) async throws -> (
        title: String, lines: [PupilSummary]
    )? {
        let store = request.context.store
        let range = FigureViews.yearToDate(request)
        var reports: [LAESTAB: [PupilSummary]] = [:]
        func report(_ school: LAESTAB) async throws -> [PupilSummary] {
            if let cached = reports[school] { return cached }
            let lines = try await store.registers.schoolReport(school, in: range)
            reports[school] = lines
            return lines
        }
        var lines: [PupilSummary] = []
        var titleKey: String? = nil
        for grant in grants {
            switch grant.role {
            case .educationLead, .governor, .patrol:
                continue
            case .parent:
                guard let child = grant.child else { continue }
                let (stored, summary) = try await store.registers.summary(of: child, in: range)
                lines.append(PupilSummary(pupil: stored.pupil, summary: summary))
                titleKey = titleKey ?? "home.childrenTitle"
            case .formTutor:
                guard let school = grant.school else { continue }
                lines += try await report(school).filter {
                    grant.registrationGroups.contains($0.pupil.registrationGroup)
                }
                titleKey = titleKey ?? "home.pupilsTitle"
            case .headOfYear:
                guard let school = grant.school else { continue }
                lines += try await report(school).filter { grant.yearGroups.contains($0.pupil.yearGroup) }
                titleKey = titleKey ?? "home.pupilsTitle"
            case .headTeacher, .seniorManagement, .attendanceAdministrator, .educationSocialWorker:
                guard let school = grant.school else { continue }
                lines += try await report(school).filter { $0.summary.band == .red }
                titleKey = titleKey ?? "home.redTitle"
            }
        }
        guard let titleKey else { return nil }
        var seen = Set<UPN>()
        var unique = lines.filter { seen.insert($0.pupil.upn).inserted }
        // Below-92% lists put the lowest attendance first: those are the calls to make first.
        if titleKey == "home.redTitle" {
            unique.sort { ($0.summary.attendanceTenths ?? 0) < ($1.summary.attendanceTenths ?? 0) }
        }
        return (request.text(titleKey), unique)
    }

    /// The regulations' return: pupils with the policy's number of continuous school days of unauthorised absence,
    /// this school year, for the education lead (every school) and an education social worker (their schools).
    /// Nil for anyone else.
    static func continuousAbsence(for grants: [RoleGrant], request: Request) async throws -> [HomePage.ContinuousRow]? {
        let store = request.context.store
        let lead = grants.contains { $0.role == .educationLead }
        let allocated = Set(grants.filter { $0.role == .educationSocialWorker }.compactMap(\.school))
        guard lead || !allocated.isEmpty else { return nil }
        let year = request.context.today.academicYear
        var rows: [(dueOn: LocalDate, row: HomePage.ContinuousRow)] = []
        for school in try await store.reference.schools() where lead || allocated.contains(school.school.laestab) {
            for item in try await store.procedure.actions(school: school.school.laestab, status: nil)
            where item.action == .continuousAbsenceReport && item.dueOn.academicYear == year
                && item.status != .withdrawn
            {
                rows.append(
                    (
                        item.dueOn,
                        HomePage.ContinuousRow(
                            pupilHref: SiteURL.pupil(item.pupil.upn), name: item.pupil.displayName,
                            school: school.school.name,
                            from: item.sessions.first.map { DateText.day(stored: String($0.prefix(10)), request.text) }
                                ?? "", days: item.count,
                            status: request.text("status.\(item.status.rawValue)"))
                    ))
            }
        }
        return rows.sorted { $0.dueOn > $1.dueOn }.map(\.row)
    }

    @Sendable static func page(_ request: Request) async throws -> Response {
        let principal = try request.signedIn
        // A patrol's work is the day's entries and the form to log one: that page is their home.
        if !principal.grants.isEmpty, principal.grants.allSatisfy({ $0.role == .patrol }) {
            return Page.redirect(SiteURL.patrols.path())
        }
        let context = request.context
        let language = request.language
        let week = SchoolWeek.current(on: context.today)
        let visible = AccessPolicy.visibleSchools(principal.grants)
        let schools =
            visible?.isEmpty == true
            ? []
            : try await lines(
                store: context.store, schools: visible, week: week, today: context.today, language: language,
                strings: context.strings)
        let names = Dictionary(
            uniqueKeysWithValues: try await context.store.reference.schools().map {
                ($0.school.laestab, $0.school.name)
            })
        let actionLinks = Set(principal.grants.compactMap(\.school)).sorted()
            .filter { principal.allows(.workActions, .school($0)) }
            .map {
                HomePage.Link(
                    href: SiteURL.school(.actions, $0),
                    label: request.text("actions.link") + ": " + (names[$0] ?? $0.description))
            }
        let page = HomePage.make(
            name: principal.user.displayName, roles: try await RoleText.describe(principal.grants, request: request),
            actionLinks: actionLinks, week: week, schools: schools,
            continuous: try await continuousAbsence(for: principal.grants, request: request),
            continuousDays: context.policy.continuousAbsenceSchoolDays,
            pupils: try await pupils(for: principal.grants, request: request), text: { request.text($0, $1) })
        return try Page.render(page, request: request)
    }
}

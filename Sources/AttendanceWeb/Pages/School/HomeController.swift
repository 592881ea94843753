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
        /// The school's target for the year ("95.0%", "95.0% (proposed)"), or "–".
        let target: String
    }

    /// The schools table, apart from the HTTP handler so it can be tested directly.
    /// - Parameter today: the day the "on roll" count is for.
    static func lines(
        store: Store, schools visible: Set<LAESTAB>?, week: DateRange, today: LocalDate, language: Language,
        strings: Strings
    ) async throws -> [SchoolLine] {
        let targets = try await store.targets.targets(for: today.academicYear)
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
                    band: total.band.map { strings($0.textKey, language) }, bandClass: total.band?.cssClass,
                    target: targets[stored.school.laestab].map {
                        $0.state == .proposed
                            ? strings("target.proposedShort", language, ["target": $0.percentText])
                            : $0.percentText
                    } ?? "–"))
        }
        return lines
    }

    /// A home page's list of pupils, and what it shows of them.
    struct Pupils: Sendable {
        let title: String
        let rows: [PupilRow]
        let showSchool: Bool
        let showWork: Bool
    }

    /// The pupils a user looks after: a parent's children, a tutor's forms, a head of year's years, and for
    /// school leaders and education social workers, the pupils below 92%. A member of staff sees who needs them
    /// first: the lowest attendance first, with the change since half-term and the next action due, and the school
    /// of each when the list spans schools.
    static func pupils(for grants: [RoleGrant], request: Request) async throws -> Pupils? {
        let store = request.context.store
        let range = FigureViews.yearToDate(request)
        var reports: [LAESTAB: [PupilSummary]] = [:]
        func report(_ school: LAESTAB) async throws -> [PupilSummary] {
            if let cached = reports[school] { return cached }
            let lines = try await store.registers.schoolReport(school, in: range)
            reports[school] = lines
            return lines
        }
        // A tutor's or head of year's list is of pupils on the roll today: they see no record of a pupil who has
        // left (`AccessPolicy.sees`), so a leaver in the list would be a link they may not open.
        var onRoll: [LAESTAB: Set<UPN>] = [:]
        func onRollToday(_ school: LAESTAB) async throws -> Set<UPN> {
            if let held = onRoll[school] { return held }
            let upns = Set(try await store.reference.onRoll(school, on: request.context.today).map(\.upn))
            onRoll[school] = upns
            return upns
        }
        var lines: [(school: LAESTAB?, line: PupilSummary)] = []
        var titleKey: String? = nil
        for grant in grants {
            switch grant.role {
            case .educationLead, .governor, .schoolImprovementAdviser, .patrol, .mentor, .teacher:
                continue  // a mentor's pupils are listed as mentees, with their figures since mentoring began
            case .parent:
                guard let child = grant.child else { continue }
                let (stored, summary) = try await store.registers.summary(of: child, in: range)
                lines.append((nil, PupilSummary(pupil: stored.pupil, summary: summary)))
                titleKey = titleKey ?? "home.childrenTitle"
            case .formTutor:
                guard let school = grant.school else { continue }
                let current = try await onRollToday(school)
                lines += try await report(school).filter {
                    grant.registrationGroups.contains($0.pupil.registrationGroup) && current.contains($0.pupil.upn)
                }.map { (school, $0) }
                titleKey = titleKey ?? "home.pupilsTitle"
            case .headOfYear:
                guard let school = grant.school else { continue }
                let current = try await onRollToday(school)
                lines += try await report(school).filter {
                    grant.yearGroups.contains($0.pupil.yearGroup) && current.contains($0.pupil.upn)
                }.map { (school, $0) }
                titleKey = titleKey ?? "home.pupilsTitle"
            case .headTeacher, .seniorManagement, .attendanceAdministrator, .educationSocialWorker:
                guard let school = grant.school else { continue }
                lines += try await report(school).filter { $0.summary.band == .red }.map { (school, $0) }
                titleKey = titleKey ?? "home.redTitle"
            }
        }
        guard let titleKey else { return nil }
        var seen = Set<UPN>()
        var unique = lines.filter { seen.insert($0.line.pupil.upn).inserted }
        let plain = { (key: String) in request.text(key) }
        let schools = Set(unique.compactMap(\.school))
        guard !schools.isEmpty else {
            return Pupils(
                title: request.text(titleKey), rows: unique.map { PupilRow($0.line, text: plain) }, showSchool: false,
                showWork: false)
        }
        // Who needs them first: the lowest attendance first (a pupil with no possible session last); equal figures
        // by name, so the list is the same every time.
        unique.sort {
            let (a, b) = ($0.line, $1.line)
            return (a.summary.attendanceTenths ?? 1001, a.pupil.legalSurname, a.pupil.legalForename, a.pupil.upn.value)
                < (b.summary.attendanceTenths ?? 1001, b.pupil.legalSurname, b.pupil.legalForename, b.pupil.upn.value)
        }
        var names: [LAESTAB: String] = [:]
        var trends: [UPN: Int] = [:]
        var next: [UPN: QueuedAction] = [:]
        let today = request.context.today
        for school in schools {
            let stored = try await store.reference.requireSchool(school)
            names[school] = stored.school.name
            // The change since half-term: this half-term's figure against the year's before it.
            let calendar = try await store.reference.calendar(for: stored.school)
            if let start = calendar.currentHalfTermStart(on: today), start > range.start,
                let before = DateRange(range.start, start.adding(days: -1)), let since = DateRange(start, range.end)
            {
                let earlier = AttendanceSummary.byPupil(
                    try await store.registers.schoolReport(school, in: before).map { ($0.pupil.upn, $0.summary) })
                for line in try await store.registers.schoolReport(school, in: since) {
                    if let change = earlier[line.pupil.upn].flatMap({ line.summary.change(since: $0) }) {
                        trends[line.pupil.upn] = change
                    }
                }
            }
            for item in try await store.procedure.actions(school: school, year: today.academicYear)
            where next[item.pupil.upn].map({ (item.dueOn, item.id.rawValue) < ($0.dueOn, $0.id.rawValue) }) ?? true {
                next[item.pupil.upn] = item
            }
        }
        let policy = request.context.policy
        let rows = unique.map { entry -> PupilRow in
            var row = PupilRow(entry.line, text: plain)
            let upn = entry.line.pupil.upn
            row.school = entry.school.flatMap { names[$0] }
            if let change = trends[upn] {
                let points = "\(abs(change) / 10).\(abs(change) % 10)"
                row.trend = (change > 0 ? "↑ " : change < 0 ? "↓ " : "= ") + points
                row.trendWords = request.text(
                    change > 0 ? "home.trendUp" : change < 0 ? "home.trendDown" : "home.trendSame", ["points": points])
            }
            row.next = next[upn].map {
                request.text(
                    "home.nextAction",
                    [
                        "action": request.text($0.action.labelKey, $0.action.wordValues(policy)),
                        "date": DateText.day($0.dueOn, request.text),
                    ])
            }
            return row
        }
        return Pupils(title: request.text(titleKey), rows: rows, showSchool: schools.count > 1, showWork: true)
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
        let names = try await request.schoolNames()
        let schoolsOfGrants = Set(principal.grants.compactMap(\.school)).sorted()
        // A teacher's day is their lessons.
        let lessonLinks =
            principal.grants.contains { $0.role == .teacher }
            ? [HomePage.Link(href: SiteURL.lessons.path(), label: request.text("lessons.today"))] : []
        let actionLinks =
            lessonLinks
            + schoolsOfGrants.filter { principal.allows(.workActions, .school($0)) }.map {
                HomePage.Link(
                    href: SiteURL.school(.actions, $0),
                    label: request.text("actions.link") + ": " + (names[$0] ?? $0.description))
            }
            + schoolsOfGrants.filter { principal.allows(.manageInterventions, .school($0)) }.map {
                HomePage.Link(
                    href: SiteURL.school(.interventions, $0),
                    label: request.text("interventions.link") + ": " + (names[$0] ?? $0.description))
            }
            + schoolsOfGrants.filter { principal.allows(.transferRecords, .school($0)) }.map {
                HomePage.Link(
                    href: SiteURL.school(.transfers, $0),
                    label: request.text("transfers.link") + ": " + (names[$0] ?? $0.description))
            }
        let page = HomePage.make(
            name: principal.user.displayName, roles: try await RoleText.describe(principal.grants, request: request),
            actionLinks: actionLinks, week: week, schools: schools,
            continuous: try await continuousAbsence(for: principal.grants, request: request),
            continuousDays: context.policy.continuousAbsenceSchoolDays,
            pupils: try await pupils(for: principal.grants, request: request),
            proposeAction: principal.allows(.proposeTargets, .none) ? SiteURL.proposeTargets.path() : nil,
            mentees: principal.grants.contains { $0.role == .mentor }
                ? try await mentees(of: principal.user.email, request: request) : [],
            notice: request.query[String.self, at: "proposed"].flatMap(Int.init).map {
                request.text("target.proposed", ["count": String($0)])
            }, error: nil, text: { request.text($0, $1) })
        return try Page.render(page, request: request)
    }

    /// A mentor's mentees: each pupil of the open mentoring they lead, with their attendance over the same number
    /// of school weeks before and since it began (the one impact rule).
    static func mentees(of email: String, request: Request) async throws -> [HomePage.Mentee] {
        let store = request.context.store
        let today = request.context.today
        let text = { (key: String, values: [String: String]) in request.text(key, values) }
        var result: [HomePage.Mentee] = []
        for item in try await store.interventions.mentoring(ledBy: email, today: today) {
            let school = try await store.reference.requireSchool(item.school).school
            let windows = InterventionImpact.windows(
                start: item.start, end: item.end, today: today,
                calendar: try await store.reference.calendar(for: school))
            for upn in item.pupils {
                // The mentee alone, not the school's whole roll.
                let entry = try await store.registers.rollYear(of: upn, at: item.school, year: item.start.academicYear)
                guard !entry.spells.isEmpty else { continue }
                let figures = windows.map {
                    InterventionImpact.figures([entry], windows: $0, table: store.codes, rules: store.rules)
                }
                result.append(
                    HomePage.Mentee(
                        href: SiteURL.pupil(upn), name: entry.pupil.displayName, form: entry.pupil.registrationGroup,
                        since: DateText.day(item.start, text), before: figures?.before.attendancePercentText ?? "–",
                        after: figures?.after.attendancePercentText ?? "–",
                        change: Tenths.pointsText(figures?.changeTenths)))
            }
        }
        return result
    }

    /// The Education Lead proposes this school year's target to every school that has not set its own.
    @Sendable static func proposeTargets(_ request: Request) async throws -> Response {
        let typed = (try? request.content.get(String.self, at: "target")) ?? ""
        let tenths: Int
        do { tenths = try AttendanceTarget.tenths(typed: typed) } catch {
            throw WebError.badField("target", .missingOrInvalid)
        }
        let count = try await request.context.store.targets.proposeTargets(
            for: request.context.today.academicYear, tenths: tenths, by: request.actor)
        return Page.redirect(SiteURL.home.path(query: ["proposed": String(count)]))
    }
}

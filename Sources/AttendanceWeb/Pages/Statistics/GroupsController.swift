import AttendanceCore
import AttendanceInterop
import AttendanceStore
import Vapor

/// A school's group analysis (page and CSV) and the groups the school makes for itself (issue 34, point 5).
/// Anyone who sees the school's figures sees the analysis; only those who see every pupil of the school see a
/// small group's figures (`AccessPolicy.seesSmallGroups`), in the page and the CSV alike.
enum GroupsController {
    /// The longest period an analysis covers: a school year and a little.
    static let longestPeriod = 400

    /// The period asked for: `from` and `to`, by default the half-term to date (the year to date before the first
    /// half-term has a start in the calendar).
    static func period(_ request: Request, calendar: SchoolCalendar) throws -> DateRange {
        let today = request.context.today
        let to = try request.queryDate("to") ?? today
        let from =
            try request.queryDate("from") ?? calendar.currentHalfTermStart(on: to) ?? to.academicYear.firstDay
        guard to <= today else { throw WebError.badQuery("to", .future) }
        guard let range = DateRange(from, to) else { throw WebError.badQuery("to", .backwards) }
        guard range.dayCount <= longestPeriod else { throw WebError.badQuery("to", .longerThan(days: longestPeriod)) }
        return range
    }

    struct Analysis {
        let school: School
        let range: DateRange
        let analysis: GroupAnalysis
        let target: AttendanceTarget?
        let suppress: Bool
        let groups: [SchoolGroup]
    }

    static func analysis(_ request: Request, laestab: LAESTAB) async throws -> Analysis {
        let store = request.context.store
        let school = try await store.reference.requireSchool(laestab).school
        let range = try period(request, calendar: try await store.reference.calendar(for: school))
        return Analysis(
            school: school, range: range, analysis: try await store.groups.analysis(laestab, in: range),
            target: try await store.targets.target(laestab, for: range.end.academicYear),
            suppress: !AccessPolicy.seesSmallGroups(try request.signedIn.grants, of: laestab),
            groups: try await store.groups.groups(of: laestab))
    }

    @Sendable static func page(_ request: Request) async throws -> Response {
        let notice = request.query[String.self, at: "made"].map { request.text("groups.made", ["group": $0]) }
        return try await render(request, notice: notice, error: nil, status: .ok)
    }

    static func render(_ request: Request, notice: String?, error: String?, status: HTTPStatus) async throws
        -> Response
    {
        guard case .school(let laestab) = request.target else { throw Abort(.notFound) }
        let found = try await analysis(request, laestab: laestab)
        let manages = try request.signedIn.allows(.manageAttendance, .school(laestab))
        let page = GroupAnalysisPage.make(
            school: found.school.name, analysis: found.analysis, range: found.range, target: found.target,
            suppress: found.suppress, groups: found.groups,
            manageHref: manages
                ? { SiteURL.school(.groupMembers, laestab, query: ["group": $0]) } : nil,
            action: SiteURL.school(.groupAnalysis, laestab),
            csv: SiteURL.school(
                .groupAnalysisCSV, laestab, query: ["from": found.range.start.iso, "to": found.range.end.iso]),
            interventionHref: try request.signedIn.allows(.manageInterventions, .school(laestab))
                ? { SiteURL.school(.interventions, laestab, query: ["breakdown": $0.rawValue, "key": $1]) } : nil,
            interventionsPage: try request.signedIn.allows(.manageInterventions, .school(laestab))
                ? SiteURL.school(.interventions, laestab) + "#impact" : nil,
            dataCheck: try await request.context.store.registers.lastDataCheck(laestab),
            dataCheckHref: manages ? SiteURL.school(.dataCheck, laestab) : nil, notice: notice, error: error,
            text: { request.text($0, $1) })
        return try Page.render(page, request: request, status: status)
    }

    static let csvColumns = [
        "laestab", "from", "to", "breakdown", "group", "pupils", "possible", "attended", "authorised", "unauthorised",
        "attendance_percent", "persistent_absentees", "small", "suppressed",
    ]

    /// The analysis as CSV: every line, with the same suppression as the page (a hidden line's figures are blank).
    @Sendable static func csv(_ request: Request) async throws -> Response {
        guard case .school(let laestab) = request.target else { throw Abort(.notFound) }
        let found = try await analysis(request, laestab: laestab)
        var rows: [[String]] = []
        func add(_ breakdown: String, _ line: GroupAnalysis.Line) {
            let hidden = found.suppress && line.isSuppressed
            let s = line.summary
            let figures =
                hidden
                ? Array(repeating: "", count: 7)
                : [
                    String(line.pupils), String(s.possible), String(s.attended), String(s.authorised),
                    String(s.unauthorised),
                    Tenths.decimalText(s.attendanceTenths), String(line.persistent),
                ]
            rows.append(
                [laestab.description, found.range.start.iso, found.range.end.iso, breakdown, line.key] + figures + [
                    hidden || !line.isSmall ? "" : "yes", hidden ? "yes" : "",
                ])
        }
        add("school", found.analysis.whole)
        for section in found.analysis.sections {
            for line in section.lines { add(section.breakdown.rawValue, line) }
        }
        return try await ReturnsController.file(
            request, columns: csvColumns, rows: rows, name: "groups-\(laestab)-\(found.range.start.iso).csv")
    }

    /// Makes one of the school's own groups, then opens it to add pupils.
    @Sendable static func make(_ request: Request) async throws -> Response {
        guard case .school(let laestab) = request.target else { throw Abort(.notFound) }
        let typed = (try? request.content.get(String.self, at: "name")) ?? ""
        let name: String
        do {
            name = try await request.context.store.groups.makeGroup(laestab, name: typed, by: request.actor)
        } catch StoreError.schoolGroup(let problem) where problem != .noSuchGroup {
            return try await render(
                request, notice: nil, error: request.text("error.group.\(problem.rawValue)"),
                status: problem == .nameTaken ? .conflict : .unprocessableEntity)
        }
        return Page.redirect(SiteURL.school(.groupMembers, laestab, query: ["group": name, "made": "1"]))
    }

    @Sendable static func members(_ request: Request) async throws -> Response {
        guard case .school(let laestab) = request.target else { throw Abort(.notFound) }
        let store = request.context.store
        let name = request.query[String.self, at: "group"] ?? ""
        guard let group = try await store.groups.groups(of: laestab).first(where: { $0.name == name }) else {
            throw StoreError.schoolGroup(.noSuchGroup)
        }
        let onRoll = try await store.reference.onRoll(laestab, on: request.context.today)
        let forms = Set(onRoll.map(\.registrationGroup)).sorted(by: NaturalOrder.precedes)
        let form = request.query[String.self, at: "form"].flatMap { forms.contains($0) ? $0 : nil } ?? forms.first
        var notice: String?
        if request.query[String.self, at: "made"] != nil { notice = request.text("groups.made", ["group": name]) }
        if request.query[String.self, at: "saved"] != nil { notice = request.text("groups.saved", ["group": name]) }
        let page = GroupMembersPage.make(
            laestab: laestab, group: group, onRoll: onRoll, forms: forms, form: form, notice: notice,
            text: { request.text($0, $1) })
        return try Page.render(page, request: request)
    }

    /// Saves who of the form's listed pupils is in the group (others are left as they were).
    @Sendable static func saveMembers(_ request: Request) async throws -> Response {
        guard case .school(let laestab) = request.target else { throw Abort(.notFound) }
        let form = try request.content.decode(MembersForm.self)
        try await request.context.store.groups.setMembers(
            laestab, group: form.group, shown: form.shown, members: form.members, today: request.context.today,
            by: request.actor)
        return Page.redirect(
            SiteURL.school(.groupMembers, laestab, query: ["group": form.group, "form": form.form, "saved": "1"]))
    }

    /// The members form: for each pupil it listed, `shown-UPN`, and `member-UPN` when ticked.
    struct MembersForm: Decodable {
        let group: String
        let form: String
        let shown: Set<UPN>
        let members: Set<UPN>

        init(from decoder: any Decoder) throws {
            let fields = try FormFields(decoder)
            group = try fields.words("group", limit: SchoolGroup.nameLimit, required: true)
            form = try fields.words("form", limit: 40)
            func upns(_ prefix: String) throws -> Set<UPN> {
                Set(
                    try fields.names.filter { $0.hasPrefix(prefix) }.map { name in
                        do { return try UPN(String(name.dropFirst(prefix.count))) } catch {
                            throw WebError.badField(name, .missingOrInvalid)
                        }
                    })
            }
            shown = try upns("shown-")
            members = try upns("member-")
            guard members.isSubset(of: shown) else { throw WebError.badField("member", .missingOrInvalid) }
        }
    }
}

/// One of the school's own groups: its members, and a form's pupils to tick in or out.
struct GroupMembersPage: PageModel {
    static let template = "group-members"

    struct Pupil: Sendable {
        let upn: String
        let name: String
        let form: String
        let checked: Bool
    }

    struct Form: Sendable {
        let name: String
        let selected: Bool
    }

    let title: String
    let group: String
    let notice: String?
    let back: String
    let members: [Pupil]
    let noMembers: String?
    let forms: [Form]
    let form: String
    let action: String
    let formAction: String
    let pupils: [Pupil]
    let pupilsHeading: String

    static func make(
        laestab: LAESTAB, group: SchoolGroup, onRoll: [AttendanceCore.Pupil], forms: [String], form: String?,
        notice: String?, text: @escaping (String, [String: String]) -> String
    ) -> GroupMembersPage {
        func order(_ a: AttendanceCore.Pupil, _ b: AttendanceCore.Pupil) -> Bool {
            (a.preferredSurname ?? a.legalSurname, a.displayName, a.upn.value)
                < (b.preferredSurname ?? b.legalSurname, b.displayName, b.upn.value)
        }
        func line(_ pupil: AttendanceCore.Pupil) -> Pupil {
            Pupil(
                upn: pupil.upn.value, name: pupil.displayName, form: pupil.registrationGroup,
                checked: group.members.contains(pupil.upn))
        }
        let members = onRoll.filter { group.members.contains($0.upn) }.sorted(by: order).map(line)
        return GroupMembersPage(
            title: text("groups.membersTitle", ["group": group.name]), group: group.name, notice: notice,
            back: SiteURL.school(.groupAnalysis, laestab), members: members,
            noMembers: members.isEmpty ? text("groups.noMembers", [:]) : nil,
            forms: forms.map { Form(name: $0, selected: $0 == form) }, form: form ?? "",
            action: SiteURL.school(.groupMembers, laestab), formAction: SiteURL.school(.groupMembers, laestab),
            pupils: onRoll.filter { $0.registrationGroup == form }.sorted(by: order).map(line),
            pupilsHeading: text("groups.formPupils", ["form": form ?? ""]))
    }
}

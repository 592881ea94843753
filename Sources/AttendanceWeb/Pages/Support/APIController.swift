import AttendanceCore
import AttendanceInterop
import AttendanceStore
import Vapor

/// The JSON API: the same permissions as the pages, with a bearer token or a browser session.
enum APIController {
    struct SchoolSummary: Content {
        let laestab: String
        let name: String
        let from: String
        let to: String
        let pupils: Int
        let possible: Int
        let attended: Int
        let authorised: Int
        let unauthorised: Int
        let attendancePercent: Double?
        let band: String?
        let persistentAbsencePupils: Int

        enum CodingKeys: String, CodingKey {
            case laestab, name, from, to, pupils, possible, attended, authorised, unauthorised, band
            case attendancePercent = "attendance_percent"
            case persistentAbsencePupils = "persistent_absence_pupils"
        }

        /// The percentage and band are written as null when no session was possible, as the document says (the
        /// key is always there).
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(laestab, forKey: .laestab)
            try container.encode(name, forKey: .name)
            try container.encode(from, forKey: .from)
            try container.encode(to, forKey: .to)
            try container.encode(pupils, forKey: .pupils)
            try container.encode(possible, forKey: .possible)
            try container.encode(attended, forKey: .attended)
            try container.encode(authorised, forKey: .authorised)
            try container.encode(unauthorised, forKey: .unauthorised)
            try container.encode(attendancePercent, forKey: .attendancePercent)
            try container.encode(band, forKey: .band)
            try container.encode(persistentAbsencePupils, forKey: .persistentAbsencePupils)
        }
    }

    /// The asked-for days, up to today at most: a figure never counts a session that has not happened (an absence
    /// reported or leave agreed for the coming days is on the register already).
    static func range(_ request: Request) throws -> DateRange {
        let today = request.context.today
        let end = min(try request.queryDate("to") ?? today, today)
        let start = try request.queryDate("from") ?? end.academicYear.firstDay
        guard start <= today else { throw WebError.refused(.fromAfterToday) }
        guard let range = DateRange(start, end) else { throw WebError.badQuery("to", .backwards) }
        return range
    }

    /// The asked-for range, narrowed for staff of a school the pupil has left to their time with the pupil.
    static func pupilRange(_ request: Request, _ placement: PupilPlacement) throws -> (DateRange, former: Bool) {
        let asked = try range(request)
        guard let former = PupilController.formerEnrolment(placement, request.pupilView(placement)) else {
            return (asked, false)
        }
        guard let clipped = former.clip(asked) else {
            throw WebError.refused(.notOnYourRoll)
        }
        return (clipped, true)
    }

    @Sendable static func pupilSummary(_ request: Request) async throws -> Response {
        guard case .pupil(let placement) = request.target else { throw Abort(.notFound) }
        let (range, former) = try pupilRange(request, placement)
        let (stored, summary) = try await request.context.store.registers.summary(of: placement.upn, in: range)
        var pupil = stored.pupil
        if former {
            // The year group and form are the new school's.
            pupil.yearGroup = ""
            pupil.registrationGroup = ""
        }
        return try json(SummaryRow(pupil: pupil, range: range, summary: summary))
    }

    @Sendable static func schoolSummary(_ request: Request) async throws -> Response {
        guard case .school(let laestab) = request.target else { throw Abort(.notFound) }
        let store = request.context.store
        let range = try range(request)
        let lines = try await store.registers.schoolReport(laestab, in: range)
        let total = lines.reduce(AttendanceSummary.empty(rules: store.rules)) { $0 + $1.summary }
        let school = try await store.reference.requireSchool(laestab).school
        return try json(
            SchoolSummary(
                laestab: laestab.description, name: school.name, from: range.start.iso, to: range.end.iso,
                pupils: lines.count, possible: total.possible, attended: total.attended, authorised: total.authorised,
                unauthorised: total.unauthorised, attendancePercent: total.attendancePercent,
                band: total.band?.rawValue,
                persistentAbsencePupils: lines.filter(\.summary.persistentAbsence).count))
    }

    /// One line of a group analysis; a suppressed line's figures are null.
    struct GroupLine: Content {
        let breakdown: String
        let group: String
        let suppressed: Bool
        /// Said only to those who see small groups.
        let small: Bool?
        let pupils: Int?
        let possible: Int?
        let attended: Int?
        let authorised: Int?
        let unauthorised: Int?
        let attendancePercent: Double?
        let persistentAbsentees: Int?

        enum CodingKeys: String, CodingKey {
            case breakdown, group, suppressed, small, pupils, possible, attended, authorised, unauthorised
            case attendancePercent = "attendance_percent"
            case persistentAbsentees = "persistent_absentees"
        }

        init(_ breakdown: String, _ line: GroupAnalysis.Line, suppress: Bool) {
            let hidden = suppress && line.isSuppressed
            let shown = hidden ? nil : line.summary
            self.breakdown = breakdown
            group = line.key
            suppressed = hidden
            small = suppress ? nil : line.isSmall
            pupils = hidden ? nil : line.pupils
            possible = shown?.possible
            attended = shown?.attended
            authorised = shown?.authorised
            unauthorised = shown?.unauthorised
            attendancePercent = shown?.attendancePercent
            persistentAbsentees = hidden ? nil : line.persistent
        }

        /// Every key is written, null when there is nothing to say, as the document says.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(breakdown, forKey: .breakdown)
            try container.encode(group, forKey: .group)
            try container.encode(suppressed, forKey: .suppressed)
            try container.encode(small, forKey: .small)
            try container.encode(pupils, forKey: .pupils)
            try container.encode(possible, forKey: .possible)
            try container.encode(attended, forKey: .attended)
            try container.encode(authorised, forKey: .authorised)
            try container.encode(unauthorised, forKey: .unauthorised)
            try container.encode(attendancePercent, forKey: .attendancePercent)
            try container.encode(persistentAbsentees, forKey: .persistentAbsentees)
        }
    }

    struct GroupAnalysisBody: Content {
        let laestab: String
        let name: String
        let from: String
        let to: String
        let lines: [GroupLine]
    }

    /// The group analysis, suppressed for the reader exactly as the page and the CSV are.
    @Sendable static func schoolGroups(_ request: Request) async throws -> Response {
        guard case .school(let laestab) = request.target else { throw Abort(.notFound) }
        let found = try await GroupsController.analysis(request, laestab: laestab)
        let lines =
            [GroupLine("school", found.analysis.whole, suppress: found.suppress)]
            + found.analysis.sections.flatMap { section in
                section.lines.map { GroupLine(section.breakdown.rawValue, $0, suppress: found.suppress) }
            }
        return try json(
            GroupAnalysisBody(
                laestab: laestab.description, name: found.school.name, from: found.range.start.iso,
                to: found.range.end.iso, lines: lines))
    }

    static func json(_ value: some Encodable) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let response = Response(status: .ok, body: .init(data: try encoder.encode(value)))
        response.headers.contentType = .json
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }
}

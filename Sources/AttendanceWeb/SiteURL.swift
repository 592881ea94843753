import AttendanceCore
import Foundation
import Vapor

/// Every route of the site, one case each. A route's path is declared once, here: the server registers the route
/// from `pattern`, and every link to it, in Swift and in templates' values, is built by the typed functions below
/// from the same pattern, each value percent-encoded once, in `path(_:query:)`. The route×role test walks
/// `allCases`, so a route added here without a row there fails.
enum SiteURL: String, CaseIterable, Sendable {
    case health, ready, metrics, openAPI
    case signIn, signOut, password, account, createToken, revokeToken
    case home, school, pupil, subjectAccess
    case users, resetPassword, revokeTokens, deactivate, delegate, addRole, removeRole
    case audit, auditCSV
    case registers, register, printRegister
    case office, logContact, confirmReason, lateBook
    case actions, runProcedure, completeAction, dismissAction, penaltyWarning
    case produceDueLetters, letterJob, letterBatch, letterBatchPDF, letter, letterPDF, produceLetter, medicalEvidence
    case firstDayMessages
    case templates, template, templatePreview, templateReset
    case apiPupilSummary, apiPupilMarks, apiRegister, apiSchoolSummary, apiSchoolGroups
    case reportAbsence, askLeave, familyLetter, contactDetails, leaveQueue, decideLeave, confirmReport
    case apiAbsenceReports, apiLeaveRequests, apiLeaveDecision
    case schoolPenalties, requestPenalty, withdrawPenalty, penaltyPack, penaltyPackPDF, penaltyPackData
    case penaltyQueue, decidePenalty, issuePenalty, payPenalty, referPenalty, withdrawNotice
    case eswInbox, eswCaseload, eswCase, allocateEsw, returnEsw, logEsw, closeEsw, referToEsw
    case startPlan, reviewPlan, endPlan, schedulePanel, panelAttendance, panelOutcome
    case returns, continuousAbsenceCSV, deletionsCSV, takeOffRoll, referMissingEducation
    case missingEducation, cmeEnquiry, cmeOutcome, patrols, schoolVisits, legal, legalStep
    case paediatricReferral, paediatricOutcome, reintegrationPlan, matchPatrol
    case schoolTarget, proposeTargets, classroomDisplay, groupAnalysis, groupAnalysisCSV, groupMembers
    case weeklyReturn, weeklyReturnCSV, dataCheck, dashboard, dashboardCSV, dashboardPDF, compareSchools
    case governorsReport, governorsReportPDF, rewards, rewardsCSV, rewardDraws, rewardCertificates, newsletter
    case newsletterImage, schoolCSV, concerns, closeConcern, schoolConcerns, answerConcern
    case interventions, intervention, interventionSession, endIntervention, mentoringContact, parentsEvening
    case sanction, workshopProgramme, interventionCertificates
    case transfers, confirmAdmission, makeCTF, transferFile, transferFileSent
    case lessons, lessonRegister, apiLessonRegister, schoolLessons, lessonCover, lessonSettings, timetable
    case sameDayCheck

    /// The path's segments: literals as they are, parameters as `:name`.
    var pattern: [String] {
        switch self {
        case .health: ["health"]
        case .ready: ["ready"]
        case .metrics: ["metrics"]
        case .openAPI: ["openapi.json"]
        case .signIn: ["sign-in"]
        case .signOut: ["sign-out"]
        case .password: ["account", "password"]
        case .account: ["account"]
        case .createToken: ["account", "tokens"]
        case .revokeToken: ["account", "tokens", ":id", "revoke"]
        case .home: []
        case .school: ["schools", ":laestab"]
        case .schoolTarget: ["schools", ":laestab", "target"]
        case .proposeTargets: ["targets", "propose"]
        case .classroomDisplay: ["registers", ":laestab", ":group", "display"]
        case .groupAnalysis: ["schools", ":laestab", "groups"]
        case .groupAnalysisCSV: ["schools", ":laestab", "groups.csv"]
        case .groupMembers: ["schools", ":laestab", "groups", "members"]
        case .weeklyReturn: ["returns", "weekly"]
        case .weeklyReturnCSV: ["returns", "weekly.csv"]
        case .dataCheck: ["schools", ":laestab", "data-check"]
        case .dashboard: ["authority"]
        case .dashboardCSV: ["authority", "schools.csv"]
        case .dashboardPDF: ["authority", "dashboard.pdf"]
        case .compareSchools: ["schools", ":laestab", "compare"]
        case .governorsReport: ["schools", ":laestab", "governors-report"]
        case .governorsReportPDF: ["schools", ":laestab", "governors-report.pdf"]
        case .rewards: ["schools", ":laestab", "rewards"]
        case .rewardsCSV: ["schools", ":laestab", "rewards.csv"]
        case .schoolCSV: ["schools", ":laestab", "figures.csv"]
        case .concerns: ["concerns"]
        case .closeConcern: ["concerns", ":id", "close"]
        case .schoolConcerns: ["schools", ":laestab", "concerns"]
        case .answerConcern: ["schools", ":laestab", "concerns", ":id", "answer"]
        case .interventions: ["schools", ":laestab", "interventions"]
        case .intervention: ["schools", ":laestab", "interventions", ":id"]
        case .interventionSession: ["schools", ":laestab", "interventions", ":id", "sessions"]
        case .endIntervention: ["schools", ":laestab", "interventions", ":id", "end"]
        case .parentsEvening: ["schools", ":laestab", "parents-evening"]
        case .sanction: ["schools", ":laestab", "pupils", ":upn", "sanctions"]
        case .workshopProgramme: ["schools", ":laestab", "interventions", "workshop-programme"]
        case .interventionCertificates: ["schools", ":laestab", "interventions", ":id", "certificates"]
        case .transfers: ["schools", ":laestab", "transfers"]
        case .confirmAdmission: ["schools", ":laestab", "transfers", "admissions", ":id"]
        case .makeCTF: ["schools", ":laestab", "pupils", ":upn", "ctf"]
        case .transferFile: ["schools", ":laestab", "transfers", "files", ":id"]
        case .transferFileSent: ["schools", ":laestab", "transfers", "files", ":id", "sent"]
        case .mentoringContact: ["pupils", ":upn", "mentoring"]
        case .newsletter: ["schools", ":laestab", "newsletter"]
        case .newsletterImage: ["schools", ":laestab", "newsletter.svg"]
        case .rewardDraws: ["schools", ":laestab", "rewards", "draws"]
        case .rewardCertificates: ["schools", ":laestab", "rewards", "certificates"]
        case .pupil: ["pupils", ":upn"]
        case .subjectAccess: ["pupils", ":upn", "subject-access.zip"]
        case .users: ["users"]
        case .resetPassword: ["users", ":id", "reset"]
        case .revokeTokens: ["users", ":id", "revoke-tokens"]
        case .deactivate: ["users", ":id", "deactivate"]
        case .delegate: ["users", ":id", "delegate"]
        case .addRole: ["users", ":id", "roles"]
        case .removeRole: ["users", ":id", "roles", "remove"]
        case .audit: ["audit"]
        case .auditCSV: ["audit.csv"]
        case .registers: ["registers"]
        case .lessons: ["lessons"]
        case .lessonRegister: ["lessons", ":laestab", ":date", ":lesson"]
        case .apiLessonRegister: ["api", "lessons", ":laestab", ":date", ":lesson"]
        case .schoolLessons: ["schools", ":laestab", "lessons"]
        case .lessonCover: ["schools", ":laestab", "lessons", "cover"]
        case .lessonSettings: ["schools", ":laestab", "lessons", "settings"]
        case .timetable: ["schools", ":laestab", "timetable"]
        case .sameDayCheck: ["schools", ":laestab", "same-day"]
        case .register: ["registers", ":laestab", ":group", ":date", ":session"]
        case .printRegister: ["registers", ":laestab", ":group", "print"]
        case .office: ["schools", ":laestab", "office"]
        case .logContact: ["schools", ":laestab", "office", "contact"]
        case .confirmReason: ["schools", ":laestab", "office", "confirm", ":id"]
        case .lateBook: ["schools", ":laestab", "late-book"]
        case .actions: ["schools", ":laestab", "actions"]
        case .runProcedure: ["schools", ":laestab", "actions", "run"]
        case .completeAction: ["schools", ":laestab", "actions", ":id", "complete"]
        case .dismissAction: ["schools", ":laestab", "actions", ":id", "dismiss"]
        case .penaltyWarning: ["schools", ":laestab", "actions", ":id", "penalty-warning"]
        case .produceDueLetters: ["schools", ":laestab", "letters", "due"]
        case .letterJob: ["schools", ":laestab", "letters", "jobs", ":id"]
        case .letterBatch: ["schools", ":laestab", "letters", "batches", ":batch"]
        case .letterBatchPDF: ["schools", ":laestab", "letters", "batches", ":batch", "pdf"]
        case .letter: ["schools", ":laestab", "letters", ":id"]
        case .letterPDF: ["schools", ":laestab", "letters", ":id", "pdf"]
        case .produceLetter: ["schools", ":laestab", "pupils", ":upn", "letters"]
        case .medicalEvidence: ["schools", ":laestab", "pupils", ":upn", "medical-evidence"]
        case .firstDayMessages: ["schools", ":laestab", "messages", "first-day"]
        case .templates: ["letters", "templates"]
        case .template: ["letters", "templates", ":kind", ":language"]
        case .templatePreview: ["letters", "templates", ":kind", ":language", "preview"]
        case .templateReset: ["letters", "templates", ":kind", ":language", "reset"]
        case .apiPupilSummary: ["api", "pupils", ":upn", "summary"]
        case .apiPupilMarks: ["api", "pupils", ":upn", "marks"]
        case .apiRegister: ["api", "registers", ":laestab", ":group", ":date", ":session"]
        case .apiSchoolSummary: ["api", "schools", ":laestab", "summary"]
        case .apiSchoolGroups: ["api", "schools", ":laestab", "groups"]
        case .reportAbsence: ["pupils", ":upn", "absence-reports"]
        case .askLeave: ["pupils", ":upn", "leave"]
        case .familyLetter: ["pupils", ":upn", "letters", ":id"]
        case .contactDetails: ["pupils", ":upn", "contact-details"]
        case .leaveQueue: ["schools", ":laestab", "leave"]
        case .decideLeave: ["schools", ":laestab", "leave", ":id", "decision"]
        case .confirmReport: ["schools", ":laestab", "office", "reports", ":id", "confirm"]
        case .apiAbsenceReports: ["api", "pupils", ":upn", "absence-reports"]
        case .apiLeaveRequests: ["api", "pupils", ":upn", "leave-requests"]
        case .apiLeaveDecision: ["api", "leave-requests", ":request", "decision"]
        case .schoolPenalties: ["schools", ":laestab", "penalties"]
        case .requestPenalty: ["schools", ":laestab", "penalties", ":id", "request"]
        case .withdrawPenalty: ["schools", ":laestab", "penalties", ":id", "withdraw"]
        case .penaltyPack: ["schools", ":laestab", "penalties", ":id", "pack"]
        case .penaltyPackPDF: ["schools", ":laestab", "penalties", ":id", "pack", "pdf"]
        case .penaltyPackData: ["schools", ":laestab", "penalties", ":id", "pack", "json"]
        case .penaltyQueue: ["penalties"]
        case .eswInbox: ["esw", "referrals"]
        case .eswCaseload: ["esw"]
        case .eswCase: ["schools", ":laestab", "esw", ":id"]
        case .allocateEsw: ["schools", ":laestab", "esw", ":id", "allocate"]
        case .returnEsw: ["schools", ":laestab", "esw", ":id", "return"]
        case .logEsw: ["schools", ":laestab", "esw", ":id", "log"]
        case .closeEsw: ["schools", ":laestab", "esw", ":id", "close"]
        case .referToEsw: ["schools", ":laestab", "pupils", ":upn", "esw-referral"]
        case .startPlan: ["schools", ":laestab", "esw", ":id", "plan"]
        case .reviewPlan: ["schools", ":laestab", "esw", ":id", "plan", "review"]
        case .endPlan: ["schools", ":laestab", "esw", ":id", "plan", "outcome"]
        case .schedulePanel: ["schools", ":laestab", "esw", ":id", "panels"]
        case .returns: ["returns"]
        case .continuousAbsenceCSV: ["returns", "continuous-absence.csv"]
        case .deletionsCSV: ["returns", "deletions.csv"]
        case .takeOffRoll: ["schools", ":laestab", "pupils", ":upn", "off-roll"]
        case .referMissingEducation: ["schools", ":laestab", "pupils", ":upn", "missing-education"]
        case .missingEducation: ["missing-education"]
        case .legal: ["legal"]
        case .legalStep: ["legal", ":id", "steps"]
        case .patrols: ["patrols"]
        case .schoolVisits: ["schools", ":laestab", "esw-visits"]
        case .paediatricReferral: ["schools", ":laestab", "pupils", ":upn", "paediatric-referral"]
        case .paediatricOutcome: ["schools", ":laestab", "paediatric-referrals", ":id", "outcome"]
        case .reintegrationPlan: ["schools", ":laestab", "paediatric-referrals", ":id", "reintegration-plans"]
        case .matchPatrol: ["schools", ":laestab", "patrols", ":id", "match"]
        case .cmeEnquiry: ["missing-education", ":id", "enquiries"]
        case .cmeOutcome: ["missing-education", ":id", "outcome"]
        case .panelAttendance: ["schools", ":laestab", "esw", ":id", "panels", ":panel", "attendance"]
        case .panelOutcome: ["schools", ":laestab", "esw", ":id", "panels", ":panel", "outcome"]
        case .decidePenalty: ["penalties", ":id", "decision"]
        case .issuePenalty: ["penalties", ":id", "issue"]
        case .payPenalty: ["penalties", "notices", ":id", "payment"]
        case .referPenalty: ["penalties", "notices", ":id", "refer"]
        case .withdrawNotice: ["penalties", "notices", ":id", "withdraw"]
        }
    }

    /// The pattern as the router takes it.
    var components: [PathComponent] { pattern.map { PathComponent(stringLiteral: $0) } }

    /// What may stand unencoded in a path segment or a query value: RFC 3986's unreserved characters.
    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func encode(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? value
    }

    /// The link: each `:name` replaced by its value, percent-encoded once; the query's values likewise.
    func path(_ values: [String: String] = [:], query: KeyValuePairs<String, String> = [:]) -> String {
        path(values, query: query.map { ($0.key, $0.value) })
    }

    /// The same with a query built at run time (the audit page's filters, say), in order.
    func path(_ values: [String: String] = [:], query: [(String, String)]) -> String {
        let segments = pattern.map { segment in
            guard segment.hasPrefix(":") else { return segment }
            // Every typed link below passes its values; a value missing by mistake makes a link that finds nothing
            // (a 404), never a stopped server. SiteURLTests builds every link.
            return Self.encode(values[String(segment.dropFirst())] ?? "-")
        }
        let text = "/" + segments.joined(separator: "/")
        guard !query.isEmpty else { return text }
        return text + "?" + query.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
    }
}

/// Typed links: the only way code names a page of the site.
extension SiteURL {
    static func school(_ laestab: LAESTAB) -> String { school.path(["laestab": laestab.description]) }
    static func pupil(_ upn: UPN, fragment: String? = nil, query: KeyValuePairs<String, String> = [:]) -> String {
        pupil.path(["upn": upn.value], query: query) + (fragment.map { "#" + $0 } ?? "")
    }
    static func revokeToken(_ id: Int) -> String { revokeToken.path(["id": String(id)]) }
    static func user(_ url: SiteURL, _ id: Int) -> String { url.path(["id": String(id)]) }
    static func register(
        _ laestab: LAESTAB, group: String, date: LocalDate, half: SessionHalf,
        query: KeyValuePairs<String, String> = [:]
    ) -> String {
        register.path(
            ["laestab": laestab.description, "group": group, "date": date.iso, "session": half.rawValue],
            query: query)
    }
    /// A lesson's register on a day, by the timetable's row for the lesson.
    static func lessonRegister(_ laestab: LAESTAB, date: LocalDate, id: Int, api: Bool = false) -> String {
        (api ? apiLessonRegister : lessonRegister).path(
            ["laestab": laestab.description, "date": date.iso, "lesson": String(id)])
    }
    static func classroomDisplay(_ laestab: LAESTAB, group: String) -> String {
        classroomDisplay.path(["laestab": laestab.description, "group": group])
    }
    static func printRegister(_ laestab: LAESTAB, group: String, query: KeyValuePairs<String, String> = [:])
        -> String
    {
        printRegister.path(["laestab": laestab.description, "group": group], query: query)
    }
    /// A school's page under it (`office`, `actions`, `lateBook`, …).
    static func school(
        _ url: SiteURL, _ laestab: LAESTAB, id: Int? = nil, query: KeyValuePairs<String, String> = [:]
    ) -> String {
        var values = ["laestab": laestab.description]
        if let id { values["id"] = String(id) }
        return url.path(values, query: query)
    }
    /// The same for a typed row id (a penalty case's, an ESW case's, …).
    static func school<Names>(
        _ url: SiteURL, _ laestab: LAESTAB, id: RowID<Names>, query: KeyValuePairs<String, String> = [:]
    ) -> String {
        school(url, laestab, id: id.rawValue, query: query)
    }
    static func letterBatch(_ laestab: LAESTAB, batch: String, pdf: Bool = false) -> String {
        (pdf ? letterBatchPDF : letterBatch).path(["laestab": laestab.description, "batch": batch])
    }
    static func schoolPupil(_ url: SiteURL, _ laestab: LAESTAB, _ upn: UPN) -> String {
        url.path(["laestab": laestab.description, "upn": upn.value])
    }
    static func letterTemplate(
        _ kind: LetterKind, _ language: Language, _ url: SiteURL = .template,
        query: KeyValuePairs<String, String> = [:]
    ) -> String {
        url.path(["kind": kind.rawValue, "language": language.rawValue], query: query)
    }
}

extension RoutesBuilder {
    @discardableResult
    func get<Response: AsyncResponseEncodable>(
        _ url: SiteURL, use closure: @Sendable @escaping (Request) async throws -> Response
    ) -> Route {
        on(.GET, url.components, use: closure)
    }

    @discardableResult
    func post<Response: AsyncResponseEncodable>(
        _ url: SiteURL, use closure: @Sendable @escaping (Request) async throws -> Response
    ) -> Route {
        on(.POST, url.components, use: closure)
    }

    /// A form that sends a file: its body may be as large as `Route.uploadLimit` (declare `.takesFiles()` after the
    /// permission, so the authorisation middleware reads that much).
    @discardableResult
    func postFile<Response: AsyncResponseEncodable>(
        _ url: SiteURL, use closure: @Sendable @escaping (Request) async throws -> Response
    ) -> Route {
        on(.POST, url.components, body: .collect(maxSize: ByteCount(value: Route.uploadLimit)), use: closure)
    }
}

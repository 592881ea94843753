import AttendanceAccounts
import AttendanceCore
import AttendanceLetters
import AttendanceStore
import Foundation
import Mustache
import Vapor

public struct WebConfiguration: Sendable {
    public var hostname: String
    public var port: Int
    /// Shows the demo banner (and, later, the demo accounts on the sign-in page).
    public var demoMode: Bool
    /// Fixes "today" for tests; nil means the real date.
    public var today: LocalDate?
    /// Marks cookies Secure: set when the site is served over HTTPS (directly or behind a proxy).
    public var secureCookies: Bool
    /// Fixes the time of day for tests (with `today`).
    public var time: TimeOfDay?
    /// The attendance procedure the server runs.
    public var policy: Policy = .wrexham2025
    /// When the server runs the procedure each school day (nil: never on its own).
    public var procedureAt: TimeOfDay? = nil
    /// Letter templates: the shipped ones, or with the authority's own folder over them (nil: shipped only).
    public var letterTemplates: LetterTemplates? = nil
    /// Email; nil keeps letters to post.
    public var smtp: SMTPConfiguration? = nil
    /// Text messages through GOV.UK Notify; nil: none.
    public var notify: NotifyTextSender.Configuration? = nil
    /// How often, in seconds, waiting and failed messages are sent (nil: only when a person asks).
    public var sendEverySeconds: Int64? = 60
    /// Passwords: bcrypt at the standard cost (tests set a low one).
    public var passwords: Passwords = .standard
    /// WeasyPrint for letters' PDFs; nil: letters are HTML only, and the page says why.
    public var pdf: PDFMaker? = nil
    /// The client addresses `/metrics` answers (the monitoring system's); others are told it is not found.
    public var metricsFrom: Set<String> = ["127.0.0.1", "::1"]
    /// The proxies (nginx, a load balancer) whose `X-Forwarded-For` names the client; none: the header is ignored.
    public var trustedProxies: Set<String> = []
    /// This server among several sharing a database (host and process), as the record of shared work names it.
    public var serverName: String = "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)"

    public init(
        hostname: String = "127.0.0.1", port: Int = 8080, demoMode: Bool = false, today: LocalDate? = nil,
        secureCookies: Bool = false, time: TimeOfDay? = nil
    ) {
        self.time = time
        self.hostname = hostname
        self.port = port
        self.demoMode = demoMode
        self.today = today
        self.secureCookies = secureCookies
    }
}

/// What every handler needs, held once by the application.
struct WebContext: Sendable {
    let store: Store
    var policy: Policy { configuration.policy }
    var passwords: Passwords { configuration.passwords }
    let configuration: WebConfiguration
    let strings: Strings
    let templates: MustacheLibrary
    let letters: LetterService
    /// Failed sign-ins per client address.
    let signInThrottle: SignInThrottle
    /// Work running on after its page answered.
    let jobs: BackgroundJobs
    /// What `/metrics` reports.
    let metrics: ServerMetrics

    var today: LocalDate { now.date }

    /// The school's local date and time ("today" may be fixed for tests, at the end of that day).
    var now: (date: LocalDate, time: TimeOfDay) {
        if let fixed = configuration.today { return (fixed, configuration.time ?? TimeOfDay.lastMinute) }
        let instant = Date()
        return (LocalDate.today(at: instant), TimeOfDay.now(at: instant))
    }
}

struct WebContextKey: StorageKey {
    typealias Value = WebContext
}

extension Application {
    var context: WebContext {
        guard let context = storage[WebContextKey.self] else { fatalError("WebServer.configure was not called") }
        return context
    }
}

extension Request {
    var context: WebContext { application.context }
}

public enum WebServer {
    static var resources: URL {
        Bundle.module.url(forResource: "Resources", withExtension: nil)
            ?? Bundle.module.bundleURL.appendingPathComponent("Resources")
    }

    /// Sets up an application: middleware, templates, strings and routes. Tests call this with their own app.
    public static func configure(_ app: Application, store: Store, configuration: WebConfiguration) async throws {
        let templates = try await MustacheLibrary(directory: resources.appendingPathComponent("templates").path)
        let strings = try Strings(directory: resources.appendingPathComponent("strings"))
        let letters = LetterService(
            store: store, templates: try configuration.letterTemplates ?? LetterTemplates(),
            pdf: configuration.pdf, smtp: configuration.smtp,
            texts: configuration.notify.map { NotifyTextSender($0) }, policy: configuration.policy, logger: app.logger)
        let jobs = BackgroundJobs(store: store)
        app.lifecycle.use(jobs)
        let metrics = ServerMetrics()
        app.storage[WebContextKey.self] = WebContext(
            store: store, configuration: configuration, strings: strings, templates: templates, letters: letters,
            signInThrottle: SignInThrottle(), jobs: jobs, metrics: metrics)
        app.http.server.configuration.hostname = configuration.hostname
        app.http.server.configuration.port = configuration.port
        app.middleware = Middlewares()
        app.middleware.use(MetricsMiddleware(metrics: metrics))
        app.middleware.use(SecurityHeadersMiddleware(strictTransport: configuration.secureCookies))
        app.middleware.use(PageErrorMiddleware())
        app.middleware.use(try PublicFilesMiddleware(directory: resources.appendingPathComponent("public")))
        app.sessions.use { _ in DatabaseSessionDriver(store: store) }
        app.sessions.configuration = SessionsConfiguration(cookieName: "attendance-session") { id in
            HTTPCookies.Value(
                string: id.string, path: "/", isSecure: configuration.secureCookies, isHTTPOnly: true, sameSite: .lax)
        }
        app.middleware.use(app.sessions.middleware)
        if let at = configuration.procedureAt {
            app.lifecycle.use(
                ProcedureSchedule.work(
                    store: store, policy: configuration.policy, at: at, server: configuration.serverName,
                    metrics: metrics))
        }
        if let seconds = configuration.sendEverySeconds, letters.canSend {
            app.lifecycle.use(MessageSchedule.work(letters: letters, seconds: seconds, metrics: metrics))
        }
        try routes(app)
    }

    /// Runs the server until it is stopped (Ctrl-C).
    public static func run(store: Store, configuration: WebConfiguration) async throws {
        var environment = Environment(name: "production", arguments: ["attendance", "serve"])
        environment.commandInput.arguments = ["serve"]
        let app = try await Application.make(environment)
        do {
            try await configure(app, store: store, configuration: configuration)
            app.logger.notice("Serving \(store.location) at http://\(configuration.hostname):\(configuration.port)")
            try await app.execute()
            try await app.asyncShutdown()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }

    /// Every route, each with the permission it needs. All go through authentication and the one
    /// authorisation middleware.
    static func routes(_ app: Application) throws {
        let r = app.grouped(AuthenticationMiddleware(), AuthorizationMiddleware())
        r.get(.health) { _ in ["status": "ok"] }.requires(.anyone)
        r.get(.ready, use: ReadinessCheck.answer).requires(.anyone)
        // Answered only to the addresses the settings name (`MetricsRoute`): no account signs in to it.
        r.get(.metrics, use: MetricsRoute.answer).requires(.anyone)
        r.get(.signIn, use: SignInController.page).requires(.anyone)
        r.post(.signIn, use: SignInController.signIn).requires(.anyone).signInForm()
        r.post(.signOut, use: SignInController.signOut).requires(.signedIn, beforePasswordChange: true)
        r.get(.password, use: PasswordController.page).requires(.signedIn, beforePasswordChange: true)
        r.post(.password, use: PasswordController.change).requires(.signedIn, beforePasswordChange: true)
        r.get(.account, use: AccountController.page).requires(.signedIn)
        r.post(.createToken, use: AccountController.createToken).requires(.signedIn)
        r.post(.revokeToken, use: AccountController.revokeToken).requires(.signedIn)
        r.get(.home, use: HomeController.page).requires(.signedIn)
        r.get(.school, use: SchoolController.page).requires(.viewSchoolFigures, of: .school)
        r.post(.schoolTarget, use: SchoolController.setTarget).requires(.setTarget, of: .school)
        r.get(.schoolCSV, use: SchoolController.csv).requires(.viewSchoolFigures, of: .school)
        // The authority's concerns: the lead raises and closes them, the head answers; the school's people read them.
        r.get(.concerns, use: ConcernsController.list).requires(.raiseConcern)
        r.post(.concerns, use: ConcernsController.raise).requires(.raiseConcern)
        r.post(.closeConcern, use: ConcernsController.close).requires(.raiseConcern)
        r.get(.schoolConcerns, use: ConcernsController.school).requires(.viewSchoolFigures, of: .school)
        r.post(.answerConcern, use: ConcernsController.answer).requires(.answerConcern, of: .school)
        // Interventions: the school's leaders, office, heads of year (their years' pupils) and ESW record them; a
        // mentor logs meetings with their mentees.
        r.get(.interventions, use: InterventionsController.list).requires(.manageInterventions, of: .school)
        r.post(.interventions, use: InterventionsController.start).requires(.manageInterventions, of: .school)
        r.get(.intervention, use: InterventionsController.detail).requires(.manageInterventions, of: .school)
        r.post(.interventionSession, use: InterventionsController.session).requires(
            .manageInterventions, of: .school)
        r.post(.endIntervention, use: InterventionsController.end).requires(.manageInterventions, of: .school)
        r.post(.interventionCertificates, use: InterventionsController.certificates).requires(
            .manageInterventions, of: .school)
        // Transfer files: the school's office and leaders and the education lead import and make them; only the
        // office and leaders confirm an admission a file prepared.
        r.get(.transfers, use: TransfersController.page).requires(.transferRecords, of: .school)
        r.postFile(.transfers, use: TransfersController.upload).requires(.transferRecords, of: .school).takesFiles()
        r.post(.confirmAdmission, use: TransfersController.admit).requires(.manageAttendance, of: .school)
        r.post(.makeCTF, use: TransfersController.make).requires(.transferRecords, of: .school)
        r.get(.transferFile, use: TransfersController.download).requires(.transferRecords, of: .school)
        r.post(.transferFileSent, use: TransfersController.sent).requires(.transferRecords, of: .school)
        r.get(.parentsEvening, use: ParentsEveningController.list).requires(.manageInterventions, of: .school)
        r.post(.parentsEvening, use: ParentsEveningController.log).requires(.manageInterventions, of: .school)
        r.post(.mentoringContact, use: MentoringController.log).requires(.mentorPupil, of: .pupil)
        r.post(.sanction, use: SanctionController.record).requires(.manageInterventions, of: .school)
        r.post(.workshopProgramme, use: InterventionsController.saveProgramme).requires(
            .manageInterventions, of: .school)
        r.get(.dataCheck, use: DataCheckController.page).requires(.manageAttendance, of: .school)
        r.post(.dataCheck, use: DataCheckController.run).requires(.manageAttendance, of: .school)
        r.get(.groupAnalysis, use: GroupsController.page).requires(.viewSchoolFigures, of: .school)
        r.get(.compareSchools, use: DashboardController.compare).requires(.viewSchoolFigures, of: .school)
        r.get(.governorsReport, use: GovernorsReportController.page).requires(.viewSchoolFigures, of: .school)
        r.get(.governorsReportPDF, use: GovernorsReportController.pdf).requires(.viewSchoolFigures, of: .school)
        r.post(.groupAnalysis, use: GroupsController.make).requires(.manageAttendance, of: .school)
        // The whole school's figure for the newsletter: no pupil named, so whoever sees the school's figures.
        r.get(.newsletter, use: NewsletterController.page).requires(.viewSchoolFigures, of: .school)
        r.get(.newsletterImage, use: NewsletterController.image).requires(.viewSchoolFigures, of: .school)
        // Rewards name pupils: the people who see every pupil of the school.
        r.get(.rewards, use: RewardsController.page).requires(.manageAttendance, of: .school)
        r.get(.rewardsCSV, use: RewardsController.csv).requires(.manageAttendance, of: .school)
        r.post(.rewardDraws, use: RewardsController.draw).requires(.manageAttendance, of: .school)
        r.post(.rewardCertificates, use: RewardsController.certificates).requires(.manageAttendance, of: .school)
        r.get(.groupAnalysisCSV, use: GroupsController.csv).requires(.viewSchoolFigures, of: .school)
        r.get(.groupMembers, use: GroupsController.members).requires(.manageAttendance, of: .school)
        r.post(.groupMembers, use: GroupsController.saveMembers).requires(.manageAttendance, of: .school)
        r.post(.proposeTargets, use: HomeController.proposeTargets).requires(.proposeTargets)
        r.get(.classroomDisplay, use: ClassroomDisplayController.page).requires(.viewRegister, of: .registrationGroup)
        r.get(.pupil, use: PupilController.page).requires(.viewPupil, of: .pupil)
        r.get(.subjectAccess, use: SubjectAccessController.download).requires(.subjectAccess, of: .pupil)
        r.get(.users, use: UsersController.page).requires(.manageUsers)
        r.post(.users, use: UsersController.create).requires(.manageUsers)
        r.post(.addRole, use: UsersController.addRole).requires(.manageUsers)
        r.post(.removeRole, use: UsersController.removeRole).requires(.manageUsers)
        r.post(.resetPassword, use: UsersController.reset).requires(.manageUsers)
        r.post(.revokeTokens, use: UsersController.revokeTokens).requires(.manageUsers)
        r.post(.deactivate, use: UsersController.deactivate).requires(.manageUsers)
        r.post(.delegate, use: UsersController.delegate).requires(.manageUsers)
        r.get(.audit, use: AuditController.page).requires(.viewAudit)
        r.get(.auditCSV, use: AuditController.csv).requires(.viewAudit)
        r.get(.registers, use: RegisterController.list).requires(.takeRegister)
        r.get(.register, use: RegisterController.page)
            .requires(.takeRegister, of: .registrationGroup)
        r.post(.register, use: RegisterController.save)
            .requires(.takeRegister, of: .registrationGroup)
        // Lesson registers (issue 38): the teacher of the lesson or its cover, and the school's office and leaders.
        r.get(.lessons, use: LessonsController.list).requires(.takeLesson)
        r.get(.lessonRegister, use: LessonRegisterController.page).requires(.takeLesson, of: .lesson)
        r.post(.lessonRegister, use: LessonRegisterController.save).requires(.takeLesson, of: .lesson)
        r.get(.apiLessonRegister, use: LessonAPIController.read).requires(.takeLesson, of: .lesson)
        r.post(.apiLessonRegister, use: LessonAPIController.save).requires(.takeLesson, of: .lesson)
        r.get(.schoolLessons, use: SchoolLessonsController.page).requires(.manageAttendance, of: .school)
        r.post(.lessonCover, use: SchoolLessonsController.cover).requires(.manageAttendance, of: .school)
        r.post(.lessonSettings, use: SchoolLessonsController.settings).requires(.manageAttendance, of: .school)
        r.get(.timetable, use: SchoolLessonsController.timetable).requires(.manageAttendance, of: .school)
        r.postFile(.timetable, use: SchoolLessonsController.upload).requires(.manageAttendance, of: .school)
            .takesFiles()
        r.get(.sameDayCheck, use: SameDayController.page).requires(.checkLessons, of: .school)
        r.post(.sameDayCheck, use: SameDayController.record).requires(.checkLessons, of: .school)
        r.get(.printRegister, use: PrintRegisterController.page)
            .requires(.viewRegister, of: .registrationGroup)
        r.get(.office, use: OfficeController.page).requires(.manageAttendance, of: .school)
        r.post(.logContact, use: OfficeController.logContact)
            .requires(.manageAttendance, of: .school)
        r.post(.confirmReason, use: OfficeController.confirm)
            .requires(.manageAttendance, of: .school)
        r.get(.actions, use: ActionsController.page).requires(.workActions, of: .school)
        r.post(.runProcedure, use: ActionsController.run).requires(
            .manageAttendance, of: .school)
        r.post(.completeAction, use: ActionsController.complete)
            .requires(.workActions, of: .school)
        r.post(.dismissAction, use: ActionsController.dismiss)
            .requires(.workActions, of: .school)
        r.post(.penaltyWarning, use: ActionsController.penaltyWarning)
            .requires(.decidePenalty, of: .school)
        r.get(.lateBook, use: OfficeController.lateBook).requires(
            .manageAttendance, of: .school)
        r.post(.lateBook, use: OfficeController.recordArrival)
            .requires(.manageAttendance, of: .school)
        r.post(.produceDueLetters, use: LettersController.produceDue)
            .requires(.workActions, of: .school)
        r.get(.letterBatch, use: LettersController.batch)
            .requires(.workActions, of: .school)
        r.get(.letterJob, use: LettersController.job)
            .requires(.workActions, of: .school)
        r.get(.letterBatchPDF, use: LettersController.batchPDF)
            .requires(.workActions, of: .school)
        r.get(.letter, use: LettersController.letter).requires(
            .workActions, of: .school)
        r.get(.letterPDF, use: LettersController.letterPDF)
            .requires(.workActions, of: .school)
        r.post(.produceLetter, use: LettersController.produce)
            .requires(.workActions, of: .school)
        r.post(.medicalEvidence, use: PupilController.recordEvidence)
            .requires(.manageAttendance, of: .school)
        r.post(.firstDayMessages, use: LettersController.firstDay)
            .requires(.manageAttendance, of: .school)
        r.get(.templates, use: TemplatesController.list).requires(.manageLetters)
        r.get(.template, use: TemplatesController.edit).requires(.manageLetters)
        r.post(.template, use: TemplatesController.save).requires(.manageLetters)
        r.post(.templatePreview, use: TemplatesController.preview)
            .requires(.manageLetters)
        r.post(.templateReset, use: TemplatesController.reset)
            .requires(.manageLetters)
        r.get(.apiPupilSummary, use: APIController.pupilSummary).requires(.viewPupil, of: .pupil)
        r.get(.apiPupilMarks, use: RegisterAPIController.pupilMarks).requires(.viewPupil, of: .pupil)
        r.get(.apiRegister, use: RegisterAPIController.read)
            .requires(.viewRegister, of: .registrationGroup)
        r.post(.apiRegister, use: RegisterAPIController.save)
            .requires(.takeRegister, of: .registrationGroup)
        r.get(.openAPI) { request -> Response in
            let response = Response(
                body: .init(data: try Data(contentsOf: resources.appendingPathComponent("openapi.json"))))
            response.headers.contentType = .json
            return response
        }.requires(.anyone)
        r.get(.apiSchoolSummary, use: APIController.schoolSummary)
            .requires(.viewSchoolFigures, of: .school)
        r.get(.apiSchoolGroups, use: APIController.schoolGroups)
            .requires(.viewSchoolFigures, of: .school)
        r.post(.reportAbsence, use: FamilyController.reportAbsence).requires(.requestForPupil, of: .pupil)
        r.get(.askLeave, use: FamilyController.askPage).requires(.requestForPupil, of: .pupil)
        r.post(.askLeave, use: FamilyController.ask).requires(.requestForPupil, of: .pupil)
        r.get(.familyLetter, use: FamilyController.letter).requires(.viewPupil, of: .pupil)
        r.post(.contactDetails, use: FamilyController.updateContact).requires(.requestForPupil, of: .pupil)
        r.get(.leaveQueue, use: LeaveController.page).requires(.manageAttendance, of: .school)
        r.post(.decideLeave, use: LeaveController.decide).requires(.decideLeave, of: .school)
        r.post(.confirmReport, use: OfficeController.confirmReport).requires(.authoriseAbsence, of: .school)
        r.post(.apiAbsenceReports, use: LeaveAPIController.reportAbsence).requires(.requestForPupil, of: .pupil)
        r.get(.apiLeaveRequests, use: LeaveAPIController.list).requires(.viewPupil, of: .pupil)
        r.post(.apiLeaveRequests, use: LeaveAPIController.create).requires(.requestForPupil, of: .pupil)
        r.post(.apiLeaveDecision, use: LeaveAPIController.decide).requires(.decideLeave, of: .leaveRequest)
        r.get(.schoolPenalties, use: PenaltyController.school).requires(.viewPenalties, of: .school)
        r.post(.requestPenalty, use: PenaltyController.request).requires(.decidePenalty, of: .school)
        r.post(.withdrawPenalty, use: PenaltyController.withdraw).requires(.decidePenalty, of: .school)
        r.get(.penaltyPack, use: PenaltyController.pack).requires(.viewPenaltyCases, of: .school)
        r.get(.penaltyPackPDF, use: PenaltyController.packPDF).requires(.viewPenaltyCases, of: .school)
        r.get(.penaltyPackData, use: PenaltyController.packData).requires(.viewPenaltyCases, of: .school)
        r.get(.penaltyQueue, use: PenaltyController.queue).requires(.issuePenalty)
        r.get(.eswInbox, use: EswController.inbox).requires(.allocateReferrals)
        r.post(.allocateEsw, use: EswController.allocate).requires(.allocateReferrals, of: .school)
        r.post(.returnEsw, use: EswController.giveBack).requires(.allocateReferrals, of: .school)
        r.get(.eswCaseload, use: EswController.caseload).requires(.workEswCases)
        r.get(.eswCase, use: EswController.show).requires(.workEswCases, of: .school)
        r.post(.logEsw, use: EswController.log).requires(.workEswCases, of: .school)
        r.post(.closeEsw, use: EswController.close).requires(.workEswCases, of: .school)
        r.post(.startPlan, use: EswController.startPlan).requires(.workEswCases, of: .school)
        r.post(.reviewPlan, use: EswController.reviewPlan).requires(.workEswCases, of: .school)
        r.post(.endPlan, use: EswController.endPlan).requires(.workEswCases, of: .school)
        r.post(.schedulePanel, use: EswController.schedulePanel).requires(.workEswCases, of: .school)
        r.post(.panelAttendance, use: EswController.panelAttendance).requires(.workEswCases, of: .school)
        r.post(.panelOutcome, use: EswController.panelOutcome).requires(.workEswCases, of: .school)
        r.get(.schoolVisits, use: SchoolVisitController.page).requires(.workEswCases, of: .school)
        r.post(.schoolVisits, use: SchoolVisitController.record).requires(.workEswCases, of: .school)
        r.post(.paediatricReferral, use: MedicalController.refer).requires(.referMedical, of: .school)
        r.post(.paediatricOutcome, use: MedicalController.outcome).requires(.referMedical, of: .school)
        r.post(.reintegrationPlan, use: MedicalController.plan).requires(.referMedical, of: .school)
        r.post(.matchPatrol, use: PatrolController.match).requires(.manageAttendance, of: .school)
        r.get(.returns, use: ReturnsController.page).requires(.viewAuthority)
        r.get(.dashboard, use: DashboardController.page).requires(.viewAuthority)
        r.get(.dashboardCSV, use: DashboardController.csv).requires(.viewAuthority)
        r.get(.dashboardPDF, use: DashboardController.pdf).requires(.viewAuthority)
        r.get(.weeklyReturn, use: WeeklyReturnController.page).requires(.viewAuthority)
        r.get(.weeklyReturnCSV, use: WeeklyReturnController.csv).requires(.viewAuthority)
        r.get(.continuousAbsenceCSV, use: ReturnsController.continuousAbsenceCSV).requires(.viewAuthority)
        r.get(.deletionsCSV, use: ReturnsController.deletionsCSV).requires(.viewAuthority)
        r.post(.takeOffRoll, use: RollController.takeOff).requires(.manageAttendance, of: .school)
        r.post(.referMissingEducation, use: RollController.refer).requires(.manageAttendance, of: .school)
        r.get(.missingEducation, use: RollController.cases).requires(.manageMissingEducation)
        r.get(.patrols, use: PatrolController.page).requires(.logPatrol)
        r.post(.patrols, use: PatrolController.log).requires(.logPatrol)
        r.post(.cmeEnquiry, use: RollController.enquiry).requires(.manageMissingEducation)
        r.post(.cmeOutcome, use: RollController.outcome).requires(.manageMissingEducation)
        r.post(.referToEsw, use: EswController.refer).requires(.manageAttendance, of: .school)
        r.post(.decidePenalty, use: PenaltyController.decide).requires(.issuePenalty)
        r.post(.issuePenalty, use: PenaltyController.issue).requires(.issuePenalty)
        r.post(.payPenalty, use: PenaltyController.pay).requires(.issuePenalty)
        r.post(.referPenalty, use: PenaltyController.refer).requires(.issuePenalty)
        r.post(.withdrawNotice, use: PenaltyController.withdrawNotice).requires(.issuePenalty)
        r.get(.legal, use: LegalController.page).requires(.issuePenalty)
        r.post(.legal, use: LegalController.open).requires(.issuePenalty)
        r.post(.legalStep, use: LegalController.record).requires(.issuePenalty)
    }
}

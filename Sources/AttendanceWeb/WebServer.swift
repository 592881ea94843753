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

    var today: LocalDate { now.date }

    /// The school's local date and time ("today" may be fixed for tests, at the end of that day).
    var now: (date: LocalDate, time: TimeOfDay) {
        if let fixed = configuration.today { return (fixed, configuration.time ?? TimeOfDay(hour: 23, minute: 59)!) }
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
    static var resources: URL { Bundle.module.url(forResource: "Resources", withExtension: nil)! }

    /// Sets up an application: middleware, templates, strings and routes. Tests call this with their own app.
    public static func configure(_ app: Application, store: Store, configuration: WebConfiguration) async throws {
        let templates = try await MustacheLibrary(directory: resources.appendingPathComponent("templates").path)
        let strings = try Strings(directory: resources.appendingPathComponent("strings"))
        let letters = LetterService(
            store: store, templates: try configuration.letterTemplates ?? LetterTemplates(),
            pdf: configuration.pdf, smtp: configuration.smtp,
            texts: configuration.notify.map { NotifyTextSender($0) }, policy: configuration.policy, logger: app.logger)
        app.storage[WebContextKey.self] = WebContext(
            store: store, configuration: configuration, strings: strings, templates: templates, letters: letters,
            signInThrottle: SignInThrottle())
        app.http.server.configuration.hostname = configuration.hostname
        app.http.server.configuration.port = configuration.port
        app.middleware = Middlewares()
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
            app.lifecycle.use(ProcedureSchedule(store: store, policy: configuration.policy, at: at))
        }
        if let seconds = configuration.sendEverySeconds, letters.canSend {
            app.lifecycle.use(MessageSchedule(letters: letters, seconds: seconds))
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
        r.get("health") { _ in ["status": "ok"] }.requires(.anyone)
        r.get("sign-in", use: SignInController.page).requires(.anyone)
        r.post("sign-in", use: SignInController.signIn).requires(.anyone).signInForm()
        r.post("sign-out", use: SignInController.signOut).requires(.signedIn, beforePasswordChange: true)
        r.get("account", "password", use: PasswordController.page).requires(.signedIn, beforePasswordChange: true)
        r.post("account", "password", use: PasswordController.change).requires(.signedIn, beforePasswordChange: true)
        r.get("account", use: AccountController.page).requires(.signedIn)
        r.post("account", "tokens", use: AccountController.createToken).requires(.signedIn)
        r.post("account", "tokens", ":id", "revoke", use: AccountController.revokeToken).requires(.signedIn)
        r.get(use: HomeController.page).requires(.signedIn)
        r.get("schools", ":laestab", use: SchoolController.page).requires(.viewSchoolFigures, of: .school)
        r.get("pupils", ":upn", use: PupilController.page).requires(.viewPupil, of: .pupil)
        r.get("users", use: UsersController.page).requires(.manageUsers)
        r.post("users", ":id", "reset", use: UsersController.reset).requires(.manageUsers)
        r.post("users", ":id", "revoke-tokens", use: UsersController.revokeTokens).requires(.manageUsers)
        r.post("users", ":id", "deactivate", use: UsersController.deactivate).requires(.manageUsers)
        r.post("users", ":id", "delegate", use: UsersController.delegate).requires(.manageUsers)
        r.get("audit", use: AuditController.page).requires(.viewAudit)
        r.get("audit.csv", use: AuditController.csv).requires(.viewAudit)
        r.get("registers", use: RegisterController.list).requires(.takeRegister)
        r.get("registers", ":laestab", ":group", ":date", ":session", use: RegisterController.page)
            .requires(.takeRegister, of: .registrationGroup)
        r.post("registers", ":laestab", ":group", ":date", ":session", use: RegisterController.save)
            .requires(.takeRegister, of: .registrationGroup)
        r.get("registers", ":laestab", ":group", "print", use: PrintRegisterController.page)
            .requires(.viewRegister, of: .registrationGroup)
        r.get("schools", ":laestab", "office", use: OfficeController.page).requires(.manageAttendance, of: .school)
        r.post("schools", ":laestab", "office", "contact", use: OfficeController.logContact)
            .requires(.manageAttendance, of: .school)
        r.post("schools", ":laestab", "office", "confirm", ":id", use: OfficeController.confirm)
            .requires(.manageAttendance, of: .school)
        r.get("schools", ":laestab", "actions", use: ActionsController.page).requires(.workActions, of: .school)
        r.post("schools", ":laestab", "actions", "run", use: ActionsController.run).requires(
            .manageAttendance, of: .school)
        r.post("schools", ":laestab", "actions", ":id", "complete", use: ActionsController.complete)
            .requires(.workActions, of: .school)
        r.post("schools", ":laestab", "actions", ":id", "dismiss", use: ActionsController.dismiss)
            .requires(.workActions, of: .school)
        r.post("schools", ":laestab", "actions", ":id", "penalty-warning", use: ActionsController.penaltyWarning)
            .requires(.decidePenalty, of: .school)
        r.get("schools", ":laestab", "late-book", use: OfficeController.lateBook).requires(
            .manageAttendance, of: .school)
        r.post("schools", ":laestab", "late-book", use: OfficeController.recordArrival)
            .requires(.manageAttendance, of: .school)
        r.post("schools", ":laestab", "letters", "due", use: LettersController.produceDue)
            .requires(.workActions, of: .school)
        r.get("schools", ":laestab", "letters", "batches", ":batch", use: LettersController.batch)
            .requires(.workActions, of: .school)
        r.get("schools", ":laestab", "letters", "batches", ":batch", "pdf", use: LettersController.batchPDF)
            .requires(.workActions, of: .school)
        r.get("schools", ":laestab", "letters", ":id", use: LettersController.letter).requires(
            .workActions, of: .school)
        r.get("schools", ":laestab", "letters", ":id", "pdf", use: LettersController.letterPDF)
            .requires(.workActions, of: .school)
        r.post("schools", ":laestab", "pupils", ":upn", "letters", use: LettersController.produce)
            .requires(.workActions, of: .school)
        r.post("schools", ":laestab", "pupils", ":upn", "medical-evidence", use: PupilController.recordEvidence)
            .requires(.manageAttendance, of: .school)
        r.post("schools", ":laestab", "messages", "first-day", use: LettersController.firstDay)
            .requires(.manageAttendance, of: .school)
        r.get("letters", "templates", use: TemplatesController.list).requires(.manageLetters)
        r.get("letters", "templates", ":kind", ":language", use: TemplatesController.edit).requires(.manageLetters)
        r.post("letters", "templates", ":kind", ":language", use: TemplatesController.save).requires(.manageLetters)
        r.post("letters", "templates", ":kind", ":language", "preview", use: TemplatesController.preview)
            .requires(.manageLetters)
        r.post("letters", "templates", ":kind", ":language", "reset", use: TemplatesController.reset)
            .requires(.manageLetters)
        r.get("api", "pupils", ":upn", "summary", use: APIController.pupilSummary).requires(.viewPupil, of: .pupil)
        r.get("api", "pupils", ":upn", "marks", use: RegisterAPIController.pupilMarks).requires(.viewPupil, of: .pupil)
        r.get("api", "registers", ":laestab", ":group", ":date", ":session", use: RegisterAPIController.read)
            .requires(.viewRegister, of: .registrationGroup)
        r.post("api", "registers", ":laestab", ":group", ":date", ":session", use: RegisterAPIController.save)
            .requires(.takeRegister, of: .registrationGroup)
        r.get("openapi.json") { request -> Response in
            let response = Response(
                body: .init(data: try Data(contentsOf: resources.appendingPathComponent("openapi.json"))))
            response.headers.contentType = .json
            return response
        }.requires(.anyone)
        r.get("api", "schools", ":laestab", "summary", use: APIController.schoolSummary)
            .requires(.viewSchoolFigures, of: .school)
    }
}

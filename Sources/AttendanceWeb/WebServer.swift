import AttendanceCore
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

    public init(hostname: String = "127.0.0.1", port: Int = 8080, demoMode: Bool = false, today: LocalDate? = nil) {
        self.hostname = hostname
        self.port = port
        self.demoMode = demoMode
        self.today = today
    }
}

/// What every handler needs, held once by the application.
struct WebContext: Sendable {
    let store: Store
    let configuration: WebConfiguration
    let strings: Strings
    let templates: MustacheLibrary

    var today: LocalDate {
        if let fixed = configuration.today { return fixed }
        let parts = Calendar.current.dateComponents([.year, .month, .day], from: Date())
        return LocalDate(year: parts.year!, month: parts.month!, day: parts.day!)!
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
        app.storage[WebContextKey.self] = WebContext(
            store: store, configuration: configuration, strings: strings, templates: templates)
        app.http.server.configuration.hostname = configuration.hostname
        app.http.server.configuration.port = configuration.port
        app.middleware = Middlewares()
        app.middleware.use(SecurityHeadersMiddleware())
        app.middleware.use(PageErrorMiddleware())
        app.middleware.use(
            FileMiddleware(publicDirectory: resources.appendingPathComponent("public").path + "/", defaultFile: nil))
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

    static func routes(_ app: Application) throws {
        app.get(use: HomeController.page).requires(.publicFigures)
        app.get("health", use: { _ in ["status": "ok"] }).requires(.publicFigures)
    }
}

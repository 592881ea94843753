import ArgumentParser
import AttendanceCore
import AttendanceInterop
import AttendanceLetters
import AttendanceStore
import AttendanceWeb
import Foundation

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the web server.")

    @Option(help: "Port to listen on (default: $PORT, then 8080).") var port: Int?
    @Option(help: "Address to listen on.") var hostname = "127.0.0.1"
    @Flag(help: "Fill an empty database with the demo local authority first; show the demo accounts.") var demo = false
    @Flag(
        name: .customLong("secure-cookies"), help: "Mark cookies Secure (when served over HTTPS, e.g. behind a proxy).")
    var secureCookies = false
    @Option(
        name: .customLong("procedure-at"),
        help: ArgumentHelp("When to run the attendance procedure each day, or 'off'.", valueName: "HH:MM|off"))
    var procedureAt = "18:00"
    @OptionGroup var letters: LetterOptions
    @OptionGroup var db: DatabaseOptions

    func validate() throws {
        guard procedureAt == "off" || TimeOfDay(text: procedureAt) != nil else {
            throw ValidationError("--procedure-at: '\(procedureAt)' is not HH:MM or off")
        }
    }

    func run() async throws {
        let settings = try Settings(db, letters: letters, port: port)
        var configuration = WebConfiguration(
            hostname: hostname, port: settings.port, demoMode: demo, secureCookies: secureCookies)
        configuration.procedureAt = TimeOfDay(text: procedureAt)
        configuration.letterTemplates = settings.letterTemplates
        configuration.smtp = settings.smtp
        configuration.notify = settings.notify
        configuration.pdf = settings.pdf
        configuration.policy = settings.policy
        try await settings.withStore { store in
            if demo {
                if try await store.isEmpty() {
                    try await DemoCommand.load(DemoAuthority.Options(until: today()), into: store, progress: Progress())
                } else {
                    try await DemoAccounts.create(in: store, today: today())
                    print("Demo accounts, one per role:\n\(DemoAccounts.listing)")
                }
            }
            try await WebServer.run(store: store, configuration: configuration)
        }
    }
}

import ArgumentParser
import AttendanceCore
import AttendanceInterop
import AttendanceLetters
import AttendanceStore
import AttendanceWeb
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

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
    @Option(
        name: .customLong("demo-at"),
        help: ArgumentHelp(
            "With --demo: run as if at this local day and time (training, and the lesson registers' browser test).",
            valueName: "YYYY-MM-DDTHH:MM"))
    var demoAt: String?
    @OptionGroup var letters: LetterOptions
    @OptionGroup var db: DatabaseOptions

    /// The day and time `--demo-at` names.
    var demoClock: (date: LocalDate, time: TimeOfDay)? {
        guard let demoAt else { return nil }
        let parts = demoAt.split(separator: "T", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, let date = LocalDate(entered: parts[0]), let time = TimeOfDay(text: parts[1]) else {
            return nil
        }
        return (date, time)
    }

    func validate() throws {
        if demoAt != nil {
            guard demo else { throw ValidationError("--demo-at is for a demo server: add --demo") }
            guard demoClock != nil else {
                throw ValidationError("--demo-at: '\(demoAt ?? "")' is not YYYY-MM-DDTHH:MM")
            }
        }
        guard procedureAt == "off" || TimeOfDay(text: procedureAt) != nil else {
            throw ValidationError("--procedure-at: '\(procedureAt)' is not HH:MM or off")
        }
    }

    func run() async throws {
        Self.limitMallocArenas()
        let settings = try Settings(db, letters: letters, port: port)
        settings.logFormat.bootstrap()
        var configuration = WebConfiguration(
            hostname: hostname, port: settings.port, demoMode: demo, today: demoClock?.date,
            secureCookies: secureCookies, time: demoClock?.time)
        configuration.procedureAt = TimeOfDay(text: procedureAt)
        configuration.letterTemplates = settings.letterTemplates
        configuration.smtp = settings.smtp
        configuration.notify = settings.notify
        configuration.pdf = settings.pdf
        configuration.policy = settings.policy
        configuration.trustedProxies = settings.trustedProxies
        configuration.metricsFrom = settings.metricsFrom
        try await settings.withStore { store in
            if demo {
                if try await store.demo.isEmpty() {
                    try await DemoCommand.load(
                        DemoAuthority.Options(until: demoClock?.date ?? today()), into: store, policy: settings.policy,
                        progress: Progress())
                } else {
                    try await DemoAccounts.create(in: store, today: demoClock?.date ?? today())
                    print("Demo accounts, one per role:\n\(DemoAccounts.listing)")
                }
            }
            try await WebServer.run(store: store, configuration: configuration)
        }
    }
}

extension ServeCommand {
    /// glibc gives each of the server's threads (about twenty) a malloc arena of its own, each keeping the most it
    /// ever held: two arenas keep the server's memory near what it uses (measured under the bench's 64 clients:
    /// 89 → 77 MB peak). `mallopt` is looked up at run time: Swift's Glibc module does not declare it.
    static func limitMallocArenas() {
        #if canImport(Glibc)
            typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
            let arenaMax: Int32 = -8  // M_ARENA_MAX in <malloc.h>
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
            _ = unsafeBitCast(symbol, to: Mallopt.self)(arenaMax, 2)
        #endif
    }
}

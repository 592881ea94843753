import ArgumentParser
import AttendanceCore
import AttendanceInterop
import AttendanceStore
import AttendanceWeb

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Fill an empty database with a synthetic local authority.",
        discussion: """
            Makes the school year that contains --until and the year before it, with Welsh-style term dates, and \
            marks for every session before --until. The same seed gives the same authority.
            """)

    @OptionGroup var db: DatabaseOptions
    @Option(help: "How many schools.") var schools = 3
    @Option(name: .customLong("pupils-per-school"), help: "Pupils on each school's roll.") var pupilsPerSchool = 300
    @Option(help: ArgumentHelp("Marks stop before this day (default: today).", valueName: "YYYY-MM-DD")) var until:
        String?
    @Option(help: "Random seed.") var seed: UInt64 = 1

    func validate() throws {
        guard (1...200).contains(schools) else { throw ValidationError("--schools must be from 1 to 200") }
        guard (1...DemoAuthority.Options.maxPupilsPerSchool).contains(pupilsPerSchool) else {
            throw ValidationError("--pupils-per-school must be from 1 to \(DemoAuthority.Options.maxPupilsPerSchool)")
        }
        _ = try parseDate(until, option: "--until")
    }

    func run() async throws {
        let settings = try Settings(db)
        let options = DemoAuthority.Options(
            schools: schools, pupilsPerSchool: pupilsPerSchool,
            until: try parseDate(until, option: "--until") ?? today(),
            seed: seed)
        try await settings.withStore { store in
            guard try await store.demo.isEmpty() else {
                throw ValidationError("\(store.location) already holds schools; the demo fills only an empty database")
            }
            try await Self.load(options, into: store, policy: settings.policy, progress: Progress())
        }
    }

    static func load(_ options: DemoAuthority.Options, into store: Store, policy: Policy, progress: Progress)
        async throws
    {
        let demo = try await fill(options, into: store, policy: policy, progress: progress)
        print(
            "Demo local authority loaded: \(demo.schools.count) schools, \(demo.markCount) marks up to \(options.until)."
        )
        print("Demo accounts, one per role:\n\(DemoAccounts.listing)")
    }

    /// The authority, its procedure run and the demo accounts, saying nothing on standard output (the bench's
    /// page timings use it too).
    static func fill(_ options: DemoAuthority.Options, into store: Store, policy: Policy, progress: Progress)
        async throws -> DemoAuthority
    {
        progress.say("Making the demo authority (\(options.schools) schools, \(options.pupilsPerSchool) pupils each)…")
        let demo = DemoAuthority(options: options)
        try await store.demo.load(demo) { progress.say("  loaded \($0)") }
        // The procedure runs as part of loading, as of the last school day with marks, so the queue shows work.
        let run = try await store.procedure.catchUp(policy: policy, through: options.until.adding(days: -1))
        progress.say("  the procedure recorded \(run.recorded) actions")
        try await DemoAccounts.create(in: store, today: options.until)
        return demo
    }
}

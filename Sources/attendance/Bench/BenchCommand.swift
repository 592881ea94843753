import ArgumentParser
import AttendanceCore
import AttendanceInterop
import AttendanceStore
import Foundation
import Logging

/// `attendance bench`: the program's speed as measured facts, side by side with DuckDB.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure import, the procedure run, reports and register saves at a given scale, beside DuckDB.",
        discussion: """
            Generates a synthetic authority (deterministic for --seed) with a full year of marks, loads it through \
            the import write path, times the whole-authority procedure run, every pupil's summary and the \
            largest school's report, drives a real `attendance serve` over HTTP with --clients concurrent clients \
            saving 30-pupil registers, records the server's peak memory, and has DuckDB (Python `duckdb`) compute \
            the same per-pupil summary from an export of the same marks. Prints a table; writes every figure, the \
            machine and the command line as JSON. Build with `swift build -c release` for figures worth quoting.
            """)

    @Option(help: "Pupils in the synthetic authority.") var pupils = 22_000
    @Option(help: "Seed for the generator.") var seed: UInt64 = 1
    @Option(
        help: ArgumentHelp(
            "An SQLite file (replaced) or an empty PostgreSQL database; default: a temporary SQLite file.",
            valueName: "path|url"))
    var database: String?
    @Option(
        help: ArgumentHelp(
            "An empty PostgreSQL database: the same authority is loaded there too and the register saves measured on it.",
            valueName: "url"))
    var postgres: String?
    @Option(help: "Concurrent HTTP clients saving registers.") var clients = 64
    @Option(help: "How long the clients save registers, in seconds.") var seconds = 10
    @Option(
        help: ArgumentHelp(
            "Also save registers arriving at this many a second, whatever the answers do (open loop, Poisson; for 30 s or 3,000 saves); repeat for several rates.",
            valueName: "saves/s"))
    var rate: [Int] = []
    @Option(
        help:
            "Servers the clients share, one process each on the one PostgreSQL database (the saves on SQLite keep one)."
    )
    var instances = 1
    @Option(
        name: .customLong("page-schools"),
        help: "Schools in the demo authority whose pages are timed (every role's home and its links); 0: none.")
    var pageSchools = 3
    @Option(name: .customLong("page-pupils"), help: "Pupils in each of those schools.") var pagePupils = 1500
    @Option(name: .customLong("page-repeats"), help: "Times each page is opened (its median is kept).")
    var pageRepeats = 5
    @Option(help: ArgumentHelp("Where to write the JSON (default bench-PUPILS.json).", valueName: "file"))
    var json: String?
    @Option(help: ArgumentHelp("The Python with `duckdb` installed.", valueName: "command")) var python = "python3"
    @Flag(help: "Keep the database and the export afterwards.") var keep = false

    func validate() throws {
        if let postgres, !DatabaseLocation(postgres).isPostgres {
            throw ValidationError("--postgres: a postgres:// URL")
        }
        guard pupils >= 100 else { throw ValidationError("--pupils: at least 100") }
        guard clients >= 1, seconds >= 1 else { throw ValidationError("--clients and --seconds: at least 1") }
        guard rate.allSatisfy({ (1...5000).contains($0) }) else { throw ValidationError("--rate: from 1 to 5000") }
        guard (0...20).contains(pageSchools), (1...5000).contains(pagePupils), (1...20).contains(pageRepeats) else {
            throw ValidationError("--page-schools: 0 to 20; --page-pupils: 1 to 5000; --page-repeats: 1 to 20")
        }
        guard (1...8).contains(instances) else { throw ValidationError("--instances: from 1 to 8") }
        if instances > 1, postgres == nil, !DatabaseLocation(database ?? "").isPostgres {
            throw ValidationError(
                "--instances: several servers share a PostgreSQL database; give --postgres or a postgres:// --database")
        }
    }

    func run() async throws {
        var report = BenchReport(pupils: pupils, seed: seed)
        let work = FileManager.default.temporaryDirectory.appendingPathComponent(
            "attendance-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { if !keep { try? FileManager.default.removeItem(at: work) } }
        let location = DatabaseLocation(database ?? work.appendingPathComponent("bench.sqlite").path)
        if case .sqliteFile(let path) = location {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
        report.database = location.isPostgres ? "postgresql" : "sqlite"
        let authority = BenchAuthority(pupils: pupils, seed: seed)
        var logger = Logger(label: "attendance.bench")
        logger.logLevel = .warning
        let store = try Store(location: location, logger: logger)
        var registers: [BenchRegister] = []
        do {
            try await store.migrate()
            guard try await store.demo.isEmpty() else {
                throw ValidationError("--database: \(location) is not empty; give an empty database")
            }
            report.synchronous = try await store.bench.sqliteSynchronous()
            registers = try await BenchLoad.load(authority, into: store, report: &report)
            await settle(store, report: &report)
            try await BenchQueries.measure(authority, store: store, report: &report)
            try await BenchLessons.measure(authority, report: &report, store: store)
            try await BenchDuckDB.compare(store: store, python: python, folder: work, report: &report)
            let token = try await BenchHTTP.prepareUser(store: store, schools: authority.plans.count)
            await store.shutdown()
            try await BenchHTTP.drive(
                database: database ?? location.sqlitePath ?? "", token: token, registers: registers,
                clients: clients, seconds: seconds, postgres: location.isPostgres,
                instances: location.isPostgres ? instances : 1, rates: rate, report: &report)
        } catch {
            await store.shutdown()
            throw error
        }
        if pageSchools > 0 {
            try await BenchPages.measure(
                schools: pageSchools, pupilsPerSchool: pagePupils, repeats: pageRepeats, folder: work, report: &report)
        }
        if let postgres, !location.isPostgres {
            try await savesOnPostgres(postgres, authority: authority, logger: logger, report: &report)
        }
        // Target 7 is the bench's own memory: `time -v` reports the largest of it, its servers and DuckDB's Python.
        if let peak = Machine.peakResident(pid: ProcessInfo.processInfo.processIdentifier) {
            report.add(
                "bench process peak resident memory", Double(peak) / 1_048_576, "MB",
                atMost: pupils >= 470_000 ? 2000 : nil)
        }
        report.finish(command: CommandLine.arguments)
        print(report.table())
        let out = json ?? "bench-\(pupils).json"
        try report.json().write(to: URL(fileURLWithPath: out))
        print("figures written to \(out)")
    }
}

extension BenchCommand {
    /// The same authority loaded into PostgreSQL (its figures kept apart: the run's import is SQLite's), then the
    /// same clients saving the same registers through a server on it.
    func savesOnPostgres(_ url: String, authority: BenchAuthority, logger: Logger, report: inout BenchReport)
        async throws
    {
        let store = try Store(location: DatabaseLocation(url), logger: logger)
        let registers: [BenchRegister]
        let token: String
        do {
            try await store.migrate()
            guard try await store.demo.isEmpty() else {
                throw ValidationError("--postgres: the database is not empty; give an empty database")
            }
            var loading = BenchReport(pupils: pupils, seed: seed)
            registers = try await BenchLoad.load(authority, into: store, report: &loading)
            let marksPerSecond = loading.figures.first { $0.name == "import throughput" }?.value ?? 0
            report.add("import throughput, PostgreSQL", marksPerSecond, "marks/s")
            await settle(store, report: &report)
            token = try await BenchHTTP.prepareUser(store: store, schools: authority.plans.count)
            await store.shutdown()
        } catch {
            await store.shutdown()
            throw error
        }
        try await BenchHTTP.drive(
            database: url, token: token, registers: registers, clients: clients, seconds: seconds, postgres: true,
            instances: instances, rates: rate, report: &report)
    }
}

extension BenchCommand {
    /// PostgreSQL after the load: statistics gathered and the loaded pages written before anything is timed (see
    /// `settleAfterLoad`); a role that may not checkpoint is told so in the report, not stopped.
    func settle(_ store: Store, report: inout BenchReport) async {
        do {
            try await store.bench.settleAfterLoad()
        } catch {
            report.notes.append("PostgreSQL not settled after the load (VACUUM ANALYZE, CHECKPOINT): \(error)")
        }
    }
}

extension DatabaseLocation {
    var sqlitePath: String? {
        if case .sqliteFile(let path) = self { return path }
        return nil
    }
}

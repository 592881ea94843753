import Foundation

/// Every figure a bench run measures, printed as a table and written as JSON.
struct BenchReport {
    struct Figure: Encodable {
        let name: String
        let value: Double
        let unit: String
        /// The target, as text ("≤ 200 ms"), when there is one.
        let target: String?
        let met: Bool?

        /// In the JSON a figure is keyed by its name.
        enum CodingKeys: String, CodingKey { case value, unit, target, met }
    }

    let pupils: Int
    let seed: UInt64
    var database = "sqlite"
    var synchronous: Int?
    var figures: [Figure] = []
    var notes: [String] = []
    var command: [String] = []
    /// The page-timing pass: every page timed, slowest first.
    var pages: [BenchPages.Timing] = []
    /// Kept for the DuckDB ratios.
    var procedureMS = 0.0
    var summariesMS = 0.0

    init(pupils: Int, seed: UInt64) {
        self.pupils = pupils
        self.seed = seed
    }

    mutating func add(_ name: String, _ value: Double, _ unit: String, atMost: Double? = nil, atLeast: Double? = nil) {
        var target: String?
        var met: Bool?
        if let atMost {
            target = "≤ \(Self.format(atMost)) \(unit)"
            met = value <= atMost
        }
        if let atLeast {
            target = "≥ \(Self.format(atLeast)) \(unit)"
            met = value >= atLeast
        }
        figures.append(Figure(name: name, value: value, unit: unit, target: target, met: met))
    }

    mutating func finish(command: [String]) { self.command = command }

    static func format(_ value: Double) -> String {
        if value >= 1000 { return String(Int(value.rounded())) }
        if value >= 100 { return String(format: "%.0f", value) }
        if value >= 10 { return String(format: "%.1f", value) }
        return String(format: "%.2f", value)
    }

    func table() -> String {
        var lines = [
            "attendance bench: \(pupils) pupils, seed \(seed), \(database)"
                + (synchronous.map { " (synchronous=\($0))" } ?? "") + ", \(Machine.description)",
            "",
        ]
        let width = max(40, figures.map(\.name.count).max() ?? 0)
        for figure in figures {
            let name = figure.name.padding(toLength: width, withPad: " ", startingAt: 0)
            let value = "\(Self.format(figure.value)) \(figure.unit)".padding(toLength: 22, withPad: " ", startingAt: 0)
            let target = figure.target.map { "target \($0): " + (figure.met == true ? "met" : "MISSED") } ?? ""
            lines.append("\(name)  \(value)  \(target)")
        }
        if !notes.isEmpty { lines += [""] + notes }
        return lines.joined(separator: "\n")
    }

    /// The report as JSON: the run's settings, the machine, and each figure by name with its target.
    func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(JSONReport(self))
    }

    private struct JSONReport: Encodable {
        struct MachineFacts: Encodable {
            let cores = Machine.cores
            let memoryBytes = Machine.memory
            let os = Machine.os

            enum CodingKeys: String, CodingKey {
                case cores, os
                case memoryBytes = "memory_bytes"
            }
        }

        let pupils: Int
        let seed: UInt64
        let database: String
        let sqliteSynchronous: Int?
        let machine = MachineFacts()
        let command: [String]
        let figures: [String: Figure]
        let notes: [String]
        let pages: [BenchPages.Timing]

        enum CodingKeys: String, CodingKey {
            case pupils, seed, database, machine, command, figures, notes, pages
            case sqliteSynchronous = "sqlite_synchronous"
        }

        init(_ report: BenchReport) {
            pupils = report.pupils
            seed = report.seed
            database = report.database
            sqliteSynchronous = report.synchronous
            command = report.command
            notes = report.notes
            pages = report.pages
            figures = Dictionary(report.figures.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(pupils, forKey: .pupils)
            try container.encode(seed, forKey: .seed)
            try container.encode(database, forKey: .database)
            // Written as null on PostgreSQL, so every report has the same keys.
            try container.encode(sqliteSynchronous, forKey: .sqliteSynchronous)
            try container.encode(machine, forKey: .machine)
            try container.encode(command, forKey: .command)
            try container.encode(figures, forKey: .figures)
            try container.encode(notes, forKey: .notes)
            try container.encode(pages, forKey: .pages)
        }
    }
}

enum Machine {
    static var cores: Int { ProcessInfo.processInfo.activeProcessorCount }
    static var memory: UInt64 { ProcessInfo.processInfo.physicalMemory }
    static var os: String { ProcessInfo.processInfo.operatingSystemVersionString }
    static var description: String { "\(cores) cores, \(memory >> 30) GiB" }

    /// A process's peak resident memory (VmHWM), in bytes.
    static func peakResident(pid: Int32) -> UInt64? { status("VmHWM", pid: pid) }

    /// A process's private memory now (RssAnon: its heap, stacks and other memory of its own), in bytes. Unlike the
    /// resident figure it leaves out the pages of its program and libraries, which the kernel maps from the page cache
    /// in 64 KB runs around each page used and which every process running them shares.
    static func privateResident(pid: Int32) -> UInt64? { status("RssAnon", pid: pid) }

    private static func status(_ field: String, pid: Int32) -> UInt64? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix(field + ":") {
            let kilobytes = line.split(separator: " ").compactMap { UInt64($0) }.first
            return kilobytes.map { $0 * 1024 }
        }
        return nil
    }
}

/// Milliseconds a piece of async work takes.
func milliseconds(_ work: () async throws -> Void) async rethrows -> Double {
    try await ContinuousClock().measure { try await work() }.milliseconds
}

extension Duration {
    var milliseconds: Double { Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15 }
}

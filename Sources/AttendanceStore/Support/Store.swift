import AttendanceCore
import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresKit
import SQLKit

/// Where the data lives: an SQLite file (the default, for one school's laptop) or PostgreSQL (an authority).
public enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    case sqliteFile(String)
    case sqliteMemory
    case postgres(url: String, searchPath: String?)

    /// `postgres://…` or `postgresql://…` is PostgreSQL; `:memory:` is a private in-memory SQLite database;
    /// anything else (optionally `sqlite://`-prefixed) is an SQLite file path.
    public init(_ text: String) {
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            self = .postgres(url: text, searchPath: nil)
        } else if text == ":memory:" {
            self = .sqliteMemory
        } else if text.hasPrefix("sqlite://") {
            self = .sqliteFile(String(text.dropFirst("sqlite://".count)))
        } else {
            self = .sqliteFile(text)
        }
    }

    public var isPostgres: Bool { if case .postgres = self { return true } else { return false } }

    /// Never prints a password.
    public var description: String {
        switch self {
        case .sqliteFile(let path): return "SQLite file \(path)"
        case .sqliteMemory: return "SQLite in memory"
        case .postgres(let url, _):
            guard var parts = URLComponents(string: url) else { return "PostgreSQL" }
            if parts.password != nil { parts.password = "***" }
            return "PostgreSQL \(parts.string ?? "")"
        }
    }
}

public enum StoreError: Error, CustomStringConvertible, Equatable {
    case badDatabaseURL(String)
    case notFound(String)
    /// A mark already there would change: the register is a legal record, so a change needs a reason.
    case reasonRequired(UPN, SchoolSession, current: String)
    /// Not a code of the table in use.
    case unknownCode(String)
    /// The same pupil's session twice in one write.
    case duplicateMark(UPN, SchoolSession)
    /// Illness or an appointment after Letter 3 is authorised only with medical evidence recorded.
    case evidenceRequired
    /// Only a pending action can be closed.
    case notPending
    /// Another decision on the same thing was recorded while this one was made: this one wrote nothing.
    case decidedMeanwhile
    /// An account's email address that is not one.
    case notAnEmail(String)
    /// Another account has this email address.
    case emailTaken(String)
    /// A role given without the scope it needs.
    case badGrant(RoleGrant.Problem)
    /// A user's only role cannot be taken away (the account is deactivated instead).
    case lastRole
    /// Only senior management or the attendance office may be named to authorise absence.
    case notADelegateRole
    /// An action closes as done or dismissed, nothing else.
    case cannotCloseAs(RecordedAction.Status)
    /// A leave request or decision the policy's rules refuse.
    case leave(LeaveRules.Problem)
    /// A penalty notice step the process's rules refuse.
    case penalty(PenaltyRules.Problem)
    /// An ESW case step the service's rules refuse.
    case esw(EswRules.Problem)
    /// A deletion from the register the regulations' guard refuses.
    case roll(RollRemovalRules.Problem)
    /// An attendance panel step the service's rules refuse.
    case eswPanel(EswRules.PanelProblem)
    /// An improvement plan step the service's rules refuse.
    case eswPlan(EswRules.PlanProblem)
    /// A Community Paediatrician referral, outcome or reintegration plan the rules refuse.
    case medical(MedicalReferralRules.Problem)
    /// A prosecution's or an order's step the rules refuse.
    case legal(LegalRules.Problem)
    /// An attendance target outside what a school may set.
    case target(AttendanceTarget.Problem)
    /// A school's own group of pupils that cannot be made or changed so.
    case schoolGroup(SchoolGroup.Problem)
    /// A concern step the rules refuse.
    case concern(Concern.Problem)
    /// An intervention or its session that cannot be kept so.
    case intervention(Intervention.Problem)
    /// A sanction the record does not allow, with the reason.
    case sanction(SanctionRule.Refusal)
    /// Matching a patrol entry by hand that the rules refuse.
    case patrolMatch(PatrolMatchRules.Problem)
    /// A parent's report of an absence that cannot be kept (the field at fault).
    case badReport(field: String)
    /// A parent's report on days it cannot be for (named).
    case reportDates(AbsenceReportRules.Problem)
    /// Confirming an admission a transfer file prepared, refused.
    case admission(Admission.Problem)
    /// A lesson register the lesson rules refuse.
    case lesson(LessonRules.Problem)
    /// A retention run was asked to remove the rows a dry run listed, and a different number is due now.
    case retentionChanged(listed: Int, due: Int)
    /// What the database holds breaks the program's own rules: never the caller's mistake.
    case corrupt(String)

    public var description: String {
        switch self {
        case .badDatabaseURL(let reason): return "the database address could not be used: \(reason)"
        case .notFound(let what): return "\(what) was not found"
        case .lesson(let problem): return "lesson register: \(problem)"
        case .retentionChanged(let listed, let due):
            return
                "the dry run listed \(listed) rows due and \(due) are due now: nothing was removed; read the dry run again"
        case .reasonRequired(let upn, let session, let current):
            return "\(upn) \(session) already has the mark \(current); changing it needs a reason"
        case .unknownCode(let code): return "'\(code)' is not a code of the table in use"
        case .duplicateMark(let upn, let session): return "\(upn) \(session) is given twice"
        case .evidenceRequired: return "medical evidence is needed after Letter 3"
        case .notPending: return "this action is no longer pending"
        case .decidedMeanwhile: return "another decision was recorded first; nothing was changed"
        case .notAnEmail(let email): return "'\(email)' is not an email address"
        case .emailTaken(let email): return "a user with the email \(email) already exists"
        case .badGrant(let problem): return problem.description
        case .lastRole: return "a user's only role cannot be taken away; deactivate the account instead"
        case .notADelegateRole:
            return "only senior management or the attendance office can be named to authorise absence"
        case .cannotCloseAs(let status): return "an action closes as done or dismissed, not \(status.rawValue)"
        case .leave(let problem): return "\(problem.field): \(problem)"
        case .badReport(let field): return "\(field): this report cannot be kept"
        case .reportDates(let problem): return "from: \(problem)"
        case .penalty(let problem): return "penalty notice: \(problem)"
        case .esw(let problem): return "ESW case: \(problem)"
        case .eswPlan(let problem): return "improvement plan: \(problem)"
        case .eswPanel(let problem): return "attendance panel: \(problem)"
        case .roll(let problem): return "taking a pupil off the roll: \(problem)"
        case .medical(let problem): return "Community Paediatrician referral: \(problem)"
        case .legal(let problem): return "court or order: \(problem)"
        case .target(let problem): return "attendance target: \(problem)"
        case .schoolGroup(let problem): return "school group: \(problem)"
        case .concern(let problem): return "concern: \(problem)"
        case .intervention(let problem): return "intervention: \(problem)"
        case .sanction(let refusal): return "sanction refused: \(refusal)"
        case .patrolMatch(let problem): return "matching a patrol entry: \(problem)"
        case .admission(let problem): return "admission: \(problem.rawValue)"
        case .corrupt(let what): return "the database holds \(what)"
        }
    }
}

/// The data store: opens the database, runs migrations, and answers every question the program asks of it.
/// Only this module sees Fluent or SQL; everything it returns is a value type from the core.
public final class Store: Sendable {
    public let location: DatabaseLocation
    public let codes: CodeTable
    public let rules: SummaryRules
    let databases: Databases
    let eventLoopGroup: MultiThreadedEventLoopGroup
    /// SQLite files only: read connections beside the one writer (WAL lets readers run while it writes), one per
    /// core, so a request's reads do not queue behind other requests' transactions.
    let readers: (databases: Databases, loops: MultiThreadedEventLoopGroup)?
    let threadPool: NIOThreadPool
    let logger: Logger
    /// Register saves committed in batches: on SQLite's one writer, and on PostgreSQL so that saves arriving
    /// together share one commit's wait for the disk. Nil for an in-memory SQLite store.
    let groupCommit: GroupCommit?
    /// The file behind an in-memory store, removed at shutdown.
    let scratch: String?
    /// The schools and calendars in memory (see `ReferenceCache`).
    let referenceCache = ReferenceCache()
    /// Signed-in users and their tokens in memory (see `AccountCache`).
    let accounts = AccountCache()
    /// The most database connections this store opens: PostgreSQL's pool (four an event loop), or a SQLite file's
    /// one writer and its readers. (The driver's pool does not say how many are in use at a moment.)
    public let connectionLimit: Int
    /// PostgreSQL connections an event loop may hold.
    static let postgresConnectionsPerLoop = 4

    var database: any Database { databases.configured(logger: logger, on: eventLoopGroup.any()) }
    var sql: any SQLDatabase { database.sqlDatabase }
    /// Where a read outside a transaction goes: a read connection for a SQLite file, else the same pool as
    /// writes (PostgreSQL's pool is already concurrent; an in-memory SQLite database is one connection's own).
    /// Only for reads of committed data: a transaction's own reads use its connection.
    var reader: any SQLDatabase {
        guard let readers else { return sql }
        return readers.databases.configured(logger: logger, on: readers.loops.any()).sqlDatabase
    }

    /// How long a request waits for SQLite's one writing connection. Writes queue behind each other, so at 8:50 with
    /// every register being saved a request waits its turn; only a wait this long is given up, and the page then says
    /// the system is busy (503) rather than failing.
    static let sqliteWait: TimeAmount = .seconds(60)

    public init(
        location: DatabaseLocation, codes: CodeTable = .wales2010, rules: SummaryRules = .wrexham2025,
        logger: Logger = Logger(label: "attendance.store")
    ) throws {
        self.location = location
        let scratchFile = FileManager.default.temporaryDirectory
            .appendingPathComponent("attendance-\(UUID().uuidString).sqlite").path
        scratch = location == .sqliteMemory ? scratchFile : nil
        self.codes = codes
        self.rules = rules
        self.logger = logger
        // SQLite allows one writer: one event loop means one connection, so writes queue instead of
        // failing with SQLITE_BUSY when two deferred transactions both try to upgrade.
        let threads = location.isPostgres ? System.coreCount : 1
        eventLoopGroup = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        let readLoops = max(2, System.coreCount)
        switch location {
        case .sqliteFile: connectionLimit = 1 + readLoops
        case .sqliteMemory: connectionLimit = 1
        case .postgres: connectionLimit = Self.postgresConnectionsPerLoop * threads
        }
        // SQLite's calls block the thread they run on (a commit waits for the disk): more threads than cores, so
        // the read connections are not held up while the writer syncs.
        threadPool = NIOThreadPool(numberOfThreads: max(8, System.coreCount))
        threadPool.start()
        databases = Databases(threadPool: threadPool, on: eventLoopGroup)
        if case .sqliteFile(let path) = location {
            let loops = MultiThreadedEventLoopGroup(numberOfThreads: readLoops)
            let readDatabases = Databases(threadPool: threadPool, on: loops)
            readDatabases.use(
                .sqlite(.file(path), connectionPoolTimeout: Self.sqliteWait, sqlLogLevel: nil), as: .sqlite)
            readers = (readDatabases, loops)
        } else {
            readers = nil
        }
        let (writers, loop, log) = (databases, eventLoopGroup, logger)
        groupCommit =
            location == .sqliteMemory
            ? nil
            : GroupCommit(lanes: location.isPostgres ? 2 : 1) { writers.configured(logger: log, on: loop.any()) }
        switch location {
        case .sqliteFile(let path):
            databases.use(.sqlite(.file(path), connectionPoolTimeout: Self.sqliteWait, sqlLogLevel: nil), as: .sqlite)
        case .sqliteMemory:
            // sqlite-kit's "memory" storage is a temporary file it never deletes (its SQLite is built without shared
            // caches): this store names the file itself, so that `shutdown` removes it.
            databases.use(
                .sqlite(.file(scratchFile), connectionPoolTimeout: Self.sqliteWait, sqlLogLevel: nil), as: .sqlite)
        case .postgres(let url, let searchPath):
            var configuration: SQLPostgresConfiguration
            do {
                configuration = try SQLPostgresConfiguration(url: url)
            } catch {
                throw StoreError.badDatabaseURL("\(url.split(separator: "@").last ?? "") is not a PostgreSQL URL")
            }
            configuration.searchPath = searchPath.map { [$0] }
            databases.use(
                .postgres(
                    configuration: configuration, maxConnectionsPerEventLoop: Self.postgresConnectionsPerLoop,
                    connectionPoolTimeout: .seconds(30),
                    sqlLogLevel: .trace),
                as: .psql)
        }
    }

    /// Creates or updates the schema, and prepares the connection (WAL for SQLite files).
    public func migrate() async throws {
        try await migrate(AllMigrations.list)
    }

    /// The same with the given migrations (a test of one migration stops before it).
    func migrate(_ list: [any Migration]) async throws {
        if case .sqliteFile = location {
            try await sql.raw("PRAGMA journal_mode=WAL").run()
        }
        let migrations = Migrations()
        migrations.add(list)
        let migrator = Migrator(databases: databases, migrations: migrations, logger: logger, on: eventLoopGroup.any())
        try await migrator.setupIfNeeded().get()
        try await migrator.prepareBatch().get()
    }

    /// Names of the migrations applied so far, in order (read on a read connection: a SQLite file's writer may be
    /// busy with saves, and `/ready` asks this).
    public func appliedMigrations() async throws -> [String] {
        try await reader.select().column("name").from("_fluent_migrations").orderBy("batch").orderBy("name")
            .all(decodingColumn: "name", as: String.self)
    }

    public func shutdown() async {
        if let readers {
            await readers.databases.shutdownAsync()
            try? await readers.loops.shutdownGracefully()
        }
        await databases.shutdownAsync()
        try? await threadPool.shutdownGracefully()
        try? await eventLoopGroup.shutdownGracefully()
        if let scratch {
            for suffix in ["", "-wal", "-shm", "-journal"] {
                try? FileManager.default.removeItem(atPath: scratch + suffix)
            }
        }
    }

    /// Runs work in one transaction: all or nothing.
    func transaction<T: Sendable>(_ work: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await database.transaction { db in try await work(db.sqlDatabase) }
    }
}

/// Timestamps are stored as ISO 8601 text in UTC with milliseconds, readable and identical on both databases.
public enum Timestamp {
    /// To the minute, for a person: "2026-11-24 16:00" (UTC, as the record keeps it).
    public static func minute(_ date: Date) -> String {
        String(text(date).prefix(16)).replacingOccurrences(of: "T", with: " ")
    }

    /// The UTC day of a moment, as the record's timestamps fall.
    public static func day(_ date: Date) -> LocalDate {
        LocalDate(dayNumber: Int((date.timeIntervalSince1970 / 86400).rounded(.down)))
    }

    /// A stored timestamp read back, or nil for text that is not one.
    public static func date(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 23, bytes[10] == UInt8(ascii: "T"), bytes[22] != UInt8(ascii: ":"),
            [11, 12, 14, 15, 17, 18, 20, 21, 22].allSatisfy({ (0x30...0x39).contains(bytes[$0]) }),
            LocalDate(iso: text.prefix(10)) != nil
        else { return nil }
        return Store.date(fromTimestamp: text)
    }

    public static func text(_ date: Date) -> String {
        let millis = Int((date.timeIntervalSince1970 * 1000).rounded(.down))
        let seconds = millis >= 0 ? millis / 1000 : (millis - 999) / 1000
        let day = LocalDate(dayNumber: seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400)
        let secondOfDay = seconds - day.dayNumber * 86400
        func pad(_ value: Int, _ width: Int = 2) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(day.iso)T\(pad(secondOfDay / 3600)):\(pad(secondOfDay / 60 % 60)):\(pad(secondOfDay % 60))."
            + "\(pad(millis - seconds * 1000, 3))Z"
    }
}

extension Store {
    /// Reads back a stored `Timestamp` text.
    static func date(fromTimestamp text: String) -> Date {
        // "YYYY-MM-DDTHH:MM:SS.mmmZ"
        let parts = Array(text.utf8)
        guard parts.count >= 23, let day = LocalDate(iso: text.prefix(10)) else {
            return Date(timeIntervalSince1970: 0)
        }
        func number(_ range: Range<Int>) -> Int {
            range.reduce(0) { $0 * 10 + Int(parts[$1] &- UInt8(ascii: "0")) }
        }
        let seconds = day.dayNumber * 86400 + number(11..<13) * 3600 + number(14..<16) * 60 + number(17..<19)
        return Date(timeIntervalSince1970: Double(seconds) + Double(number(20..<23)) / 1000)
    }
}

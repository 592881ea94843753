import AttendanceCore
import FluentKit
import Foundation
import SQLKit

/// What the people who run the system ask of the database rather than of the school record: whether it is ready,
/// which server does the work that must be done once (several servers may share one PostgreSQL database), and
/// backups (`Store+Backup.swift`).
public struct OperationsRepository: Sendable {
    let store: Store
}

extension Store {
    public var operations: OperationsRepository { OperationsRepository(store: self) }
}

/// Whether a server can answer its users: the database reachable and every migration the program knows applied.
public enum Readiness: Sendable, Equatable {
    case ready
    /// No answer from the database (down, refused, or slower than the limit).
    case unreachable
    /// Migrations this program knows that the database has not had (`attendance migrate` applies them).
    case migrationsPending(Int)
}

/// Work the servers sharing a database do once between them, not once each.
public enum SharedWork: String, Sendable, CaseIterable {
    /// The daily procedure run, the penalty notices' days and the data check.
    case dailyRun = "daily_run"
    /// Sending waiting emails and text messages (each is claimed too; the lock saves the second server the query).
    case sendingMessages = "sending_messages"

    /// The PostgreSQL advisory lock's first key: fixed numbers, so servers of any version take the same lock. The
    /// second is the schema's, since advisory locks belong to the whole database and an authority's schema is its own.
    var lockKey: Int32 {
        switch self {
        case .dailyRun: 3_700_001
        case .sendingMessages: 3_700_002
        }
    }
}

/// What became of a day's shared work on this server.
public enum SharedWorkOutcome: Sendable, Equatable {
    /// This server did it.
    case ran
    /// It was already done for the day (by this server or another).
    case alreadyDone
    /// Another server is doing it now: ask again later.
    case busy
}

extension OperationsRepository {
    /// Whether the database answers within `limit` and has every migration: a load balancer sends no users to a
    /// server that is not ready. Never throws: a failure is the answer.
    public func readiness(within limit: Duration = .seconds(5)) async -> Readiness {
        let store = store
        let applied: [String]? = await withCheckedContinuation { continuation in
            let first = FirstAnswer(continuation)
            Task { await first.give(try? await store.appliedMigrations()) }
            Task {
                try? await Task.sleep(for: limit)
                await first.give(nil)
            }
        }
        guard let applied else { return .unreachable }
        let missing = Set(AllMigrations.list.map(\.name)).subtracting(applied).count
        return missing == 0 ? .ready : .migrationsPending(missing)
    }

    /// Runs `work` for `day` on one server only, once: `.busy` when another server holds the work's lock, and
    /// `.alreadyDone` when the day's row says it was done. The row is written when the work has finished, so work
    /// that failed part way is tried again (each step of the daily run records nothing twice).
    public func onceADay(
        _ work: SharedWork, day: LocalDate, server: String, run: @escaping @Sendable () async throws -> Void
    ) async throws -> SharedWorkOutcome {
        let store = store
        let outcome = try await exclusively(work) { () async throws -> SharedWorkOutcome in
            let done = try await store.sql.select().column("id").from("scheduled_runs")
                .where("work", .equal, work.rawValue).where("day", .equal, day.iso).first()
            guard done == nil else { return .alreadyDone }
            let started = Timestamp.text(Date())
            try await run()
            // Ignoring a conflict: two servers on one SQLite file (not a supported setup: SQLite is one server's)
            // have no lock between them, and the second to finish finds the row written.
            try await store.sql.insert(into: "scheduled_runs")
                .columns("work", "day", "server", "started_at", "finished_at")
                .values(
                    SQLBind(work.rawValue), SQLBind(day.iso), SQLBind(String(server.prefix(200))), SQLBind(started),
                    SQLBind(Timestamp.text(Date()))
                ).ignoringConflicts(with: ["work", "day"]).run()
            return .ran
        }
        return outcome ?? .busy
    }

    /// Runs `work` holding its lock, or returns nil at once without running it when another server holds it. On
    /// PostgreSQL the lock is an advisory lock taken and let go on one connection kept for the whole work (a
    /// statement on the pool may go to another connection, which would not hold it); if the server dies, its
    /// connection closes and the lock goes with it. A SQLite file is one server's: its work runs as it is.
    public func exclusively<T: Sendable>(
        _ work: SharedWork, run: @escaping @Sendable () async throws -> T
    ) async throws -> T? {
        guard store.location.isPostgres else { return try await run() }
        return try await store.database.withConnection { connection -> T? in
            let sql = connection.sqlDatabase
            let taken = try await sql.raw(
                "SELECT pg_try_advisory_lock(\(bind: work.lockKey), hashtext(current_schema())) AS taken"
            ).first()
            guard try taken?.decode(column: "taken", as: Bool.self) == true else { return nil }
            let unlock: SQLQueryString =
                "SELECT pg_advisory_unlock(\(bind: work.lockKey), hashtext(current_schema()))"
            do {
                let result = try await run()
                _ = try await sql.raw(unlock).all()
                return result
            } catch {
                _ = try? await sql.raw(unlock).all()
                throw error
            }
        }
    }

    /// The days each shared work was done and by which server, newest first (for the operations page and tests).
    public func sharedWorkDone(_ work: SharedWork, limit: Int = 30) async throws -> [(day: LocalDate, server: String)] {
        try await store.sql.select().columns("day", "server").from("scheduled_runs")
            .where("work", .equal, work.rawValue).orderBy("day", .descending).limit(limit).all()
            .compactMap { row in
                guard let day = LocalDate(iso: try row.decode(column: "day", as: String.self)) else { return nil }
                return (day, try row.decode(column: "server", as: String.self))
            }
    }
}

/// The first of two answers (the database's, or the time running out), given once.
private actor FirstAnswer {
    private var continuation: CheckedContinuation<[String]?, Never>?

    init(_ continuation: CheckedContinuation<[String]?, Never>) {
        self.continuation = continuation
    }

    func give(_ answer: [String]?) {
        continuation?.resume(returning: answer)
        continuation = nil
    }
}

/// What the record holds of the work the metrics follow, counted by the database (the same from every server).
public struct RecordCounts: Sendable, Equatable {
    /// Letters kept, by post, email or text.
    public var letters = 0
    /// Emails and text messages by their standing (waiting, sent, failed).
    public var messages: [String: Int] = [:]
    /// Jobs running now (on any server).
    public var jobsRunning = 0
}

extension OperationsRepository {
    public func recordCounts() async throws -> RecordCounts {
        var counts = RecordCounts()
        let sql = store.reader
        counts.letters =
            try await sql.raw("SELECT count(*) AS n FROM letters").first()?
            .decode(column: "n", as: Int.self) ?? 0
        for row in try await sql.raw("SELECT status, count(*) AS n FROM deliveries GROUP BY status").all() {
            counts.messages[try row.decode(column: "status", as: String.self)] = try row.decode(
                column: "n", as: Int.self)
        }
        counts.jobsRunning =
            try await sql.raw("SELECT count(*) AS n FROM jobs WHERE status = 'running'").first()?
            .decode(column: "n", as: Int.self) ?? 0
        return counts
    }
}

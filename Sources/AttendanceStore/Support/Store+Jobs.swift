import AttendanceCore
import Foundation
import SQLKit

/// A piece of work running for a person, as far as it has got.
public struct Job: Sendable, Hashable {
    public enum Status: String, Sendable {
        case running, done, failed
        /// The server stopped while it ran (a restart): it did not finish and will not.
        case interrupted
    }

    public let id: Int
    public let school: LAESTAB
    public let kind: String
    public let status: Status
    public let done: Int
    public let total: Int
    /// What it made (the day's letters: the batch's id, with its counts).
    public let result: String?
    /// Why it failed, for the person (never personal data).
    public let problem: String?
    public let startedBy: String

    /// How long a running job may go without a sign of life before it is taken as stopped (its server was killed
    /// or crashed). Its runner shows it is alive far more often (`BackgroundJobs`).
    public static let silenceMeansStopped: TimeInterval = 120
}

extension JobRepository {
    /// Records the start of a job at a school.
    public func startJob(_ kind: String, school laestab: LAESTAB, by actor: AuditActor, at now: Date = Date())
        async throws -> Int
    {
        let school = try await store.reference.requireSchool(laestab)
        let row = try await store.sql.insert(into: "jobs")
            .columns("school_id", "kind", "status", "done", "total", "started_by", "started_at", "alive_at")
            .values(
                school.id, kind, Job.Status.running.rawValue, 0, 0, actor.name, Timestamp.text(now), Timestamp.text(now)
            )
            .returning("id").first()
        guard let id = try row?.decode(column: "id", as: Int.self) else { throw StoreError.corrupt("a job with no id") }
        return id
    }

    /// How far a running job has got.
    public func recordProgress(job id: Int, done: Int, total: Int, at now: Date = Date()) async throws {
        try await store.sql.update("jobs").set("done", to: done).set("total", to: total)
            .set("alive_at", to: Timestamp.text(now))
            .where("id", .equal, id).where("status", .equal, Job.Status.running.rawValue).run()
    }

    /// A running job is still alive (between steps of its progress).
    public func recordAlive(job id: Int, at now: Date = Date()) async throws {
        try await store.sql.update("jobs").set("alive_at", to: Timestamp.text(now))
            .where("id", .equal, id).where("status", .equal, Job.Status.running.rawValue).run()
    }

    /// A job's end: what it made, or why it could not.
    public func finishJob(_ id: Int, result: String?, problem: String?, at now: Date = Date()) async throws {
        try await store.sql.update("jobs")
            .set("status", to: (problem == nil ? Job.Status.done : .failed).rawValue)
            .set("result", to: result).set("problem", to: problem).set("finished_at", to: Timestamp.text(now))
            .where("id", .equal, id).run()
    }

    /// Jobs left running by a server that stopped: they will not finish, and say so. A job another server is
    /// running (alive within `Job.silenceMeansStopped`) is left alone.
    public func interruptStoppedJobs(at now: Date = Date()) async throws {
        let silentSince = Timestamp.text(now.addingTimeInterval(-Job.silenceMeansStopped))
        try await store.sql.update("jobs").set("status", to: Job.Status.interrupted.rawValue)
            .set("finished_at", to: Timestamp.text(now))
            .where("status", .equal, Job.Status.running.rawValue)
            .where { $0.where("alive_at", .is, SQLLiteral.null).orWhere("alive_at", .lessThan, silentSince) }
            .run()
    }

    /// A job at a school (nil for another school's). A running job silent for too long is said to be interrupted,
    /// whether or not a server has restarted since.
    public func job(_ id: Int, school laestab: LAESTAB, at now: Date = Date()) async throws -> Job? {
        guard
            let row = try await store.sql.raw(
                """
                SELECT j.*, s.laestab FROM jobs j JOIN schools s ON s.id = j.school_id
                WHERE j.id = \(bind: id) AND s.laestab = \(bind: laestab.description)
                """
            ).first()
        else { return nil }
        var status = Job.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .failed
        let alive = try row.decode(column: "alive_at", as: String?.self)
        if status == .running, (alive ?? "") < Timestamp.text(now.addingTimeInterval(-Job.silenceMeansStopped)) {
            status = .interrupted
        }
        return Job(
            id: id, school: laestab, kind: try row.decode(column: "kind", as: String.self), status: status,
            done: try row.decode(column: "done", as: Int.self), total: try row.decode(column: "total", as: Int.self),
            result: try row.decode(column: "result", as: String?.self),
            problem: try row.decode(column: "problem", as: String?.self),
            startedBy: try row.decode(column: "started_by", as: String.self))
    }
}

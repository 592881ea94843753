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
}

extension Store {
    /// Records the start of a job at a school.
    public func startJob(_ kind: String, school laestab: LAESTAB, by actor: AuditActor, at now: Date = Date())
        async throws -> Int
    {
        let school = try await requireSchool(laestab)
        let row = try await sql.insert(into: "jobs")
            .columns("school_id", "kind", "status", "done", "total", "started_by", "started_at")
            .values(school.id, kind, Job.Status.running.rawValue, 0, 0, actor.name, Timestamp.text(now))
            .returning("id").first()
        guard let id = try row?.decode(column: "id", as: Int.self) else { throw StoreError.corrupt("a job with no id") }
        return id
    }

    /// How far a running job has got.
    public func recordProgress(job id: Int, done: Int, total: Int) async throws {
        try await sql.update("jobs").set("done", to: done).set("total", to: total)
            .where("id", .equal, id).where("status", .equal, Job.Status.running.rawValue).run()
    }

    /// A job's end: what it made, or why it could not.
    public func finishJob(_ id: Int, result: String?, problem: String?, at now: Date = Date()) async throws {
        try await sql.update("jobs")
            .set("status", to: (problem == nil ? Job.Status.done : .failed).rawValue)
            .set("result", to: result).set("problem", to: problem).set("finished_at", to: Timestamp.text(now))
            .where("id", .equal, id).run()
    }

    /// Jobs left running by a server that stopped: they will not finish, and say so.
    public func interruptRunningJobs(at now: Date = Date()) async throws {
        try await sql.update("jobs").set("status", to: Job.Status.interrupted.rawValue)
            .set("finished_at", to: Timestamp.text(now))
            .where("status", .equal, Job.Status.running.rawValue).run()
    }

    /// A job at a school (nil for another school's).
    public func job(_ id: Int, school laestab: LAESTAB) async throws -> Job? {
        guard
            let row = try await sql.raw(
                """
                SELECT j.*, s.laestab FROM jobs j JOIN schools s ON s.id = j.school_id
                WHERE j.id = \(bind: id) AND s.laestab = \(bind: laestab.description)
                """
            ).first()
        else { return nil }
        return Job(
            id: id, school: laestab, kind: try row.decode(column: "kind", as: String.self),
            status: Job.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .failed,
            done: try row.decode(column: "done", as: Int.self), total: try row.decode(column: "total", as: Int.self),
            result: try row.decode(column: "result", as: String?.self),
            problem: try row.decode(column: "problem", as: String?.self),
            startedBy: try row.decode(column: "started_by", as: String.self))
    }
}

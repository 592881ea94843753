import FluentKit
import SQLKit

/// Saves that arrive together are committed together on SQLite's one writer: one transaction and one sync to disk
/// for the batch, each save inside its own savepoint so it stands or falls alone, and each caller answered only
/// after the commit (so nothing acknowledged can be lost). A save that arrives while a batch commits waits for the
/// next batch, which takes everything that has arrived.
actor GroupCommit {
    typealias Job = @Sendable (any SQLDatabase) async throws -> any Sendable
    private var pending: [(job: Job, reply: CheckedContinuation<any Sendable, any Error>)] = []
    private var draining = false
    private let database: @Sendable () -> any Database

    init(database: @escaping @Sendable () -> any Database) {
        self.database = database
    }

    func submit<T: Sendable>(_ work: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let value = try await withCheckedThrowingContinuation { reply in
            pending.append(({ db in try await work(db) }, reply))
            if !draining {
                draining = true
                Task { await self.drain() }
            }
        }
        guard let typed = value as? T else { preconditionFailure("a group commit answered with the wrong type") }
        return typed
    }

    private func drain() async {
        while !pending.isEmpty {
            let batch = pending
            pending = []
            let jobs = batch.map(\.job)
            do {
                let results = try await database().transaction { db in
                    let sql = db as! any SQLDatabase
                    var results: [Result<any Sendable, any Error>] = []
                    for (index, job) in jobs.enumerated() {
                        let name = "save_\(index)"
                        try await sql.raw("SAVEPOINT \(unsafeRaw: name)").run()
                        do {
                            let value = try await job(sql)
                            try await sql.raw("RELEASE \(unsafeRaw: name)").run()
                            results.append(.success(value))
                        } catch {
                            // This save alone is undone; the others in the batch go on.
                            try await sql.raw("ROLLBACK TO \(unsafeRaw: name)").run()
                            try await sql.raw("RELEASE \(unsafeRaw: name)").run()
                            results.append(.failure(error))
                        }
                    }
                    return results
                }
                for (result, entry) in zip(results, batch) { entry.reply.resume(with: result) }
            } catch {
                // The commit failed: nothing in the batch was kept, and every caller hears so.
                for entry in batch { entry.reply.resume(throwing: error) }
            }
        }
        draining = false
    }
}

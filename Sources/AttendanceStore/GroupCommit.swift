import FluentKit
import SQLKit

/// Saves that arrive together are committed together on SQLite's one writer: one transaction and one sync to disk
/// for the batch, each caller answered only after the commit (so nothing acknowledged can be lost). A save that
/// arrives while a batch commits waits for the next batch, which takes everything that has arrived.
///
/// Each save still stands or falls alone. A job judges its save before writing anything and answers a refusal
/// (`StoreError`) as a value, so the batch goes on without it; an error thrown means the database failed partway
/// through a save, and then the whole batch is rolled back and each save tried again in a transaction of its own.
actor GroupCommit {
    typealias Job = @Sendable (any SQLDatabase) async throws -> Result<any Sendable, StoreError>
    private var pending: [(job: Job, reply: CheckedContinuation<any Sendable, any Error>)] = []
    private var draining = false
    private let database: @Sendable () -> any Database

    init(database: @escaping @Sendable () -> any Database) {
        self.database = database
    }

    func submit<T: Sendable>(
        _ work: @escaping @Sendable (any SQLDatabase) async throws -> Result<T, StoreError>
    ) async throws -> T {
        let value = try await withCheckedThrowingContinuation { reply in
            pending.append(({ db in try await work(db).map { $0 as any Sendable } }, reply))
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
                    var results: [Result<any Sendable, StoreError>] = []
                    for job in jobs { results.append(try await job(db as! any SQLDatabase)) }
                    return results
                }
                for (result, entry) in zip(results, batch) { entry.reply.resume(with: result.mapError { $0 }) }
            } catch {
                // Nothing in the batch was kept. Each save again on its own, so that one failing save (or a
                // failed commit) does not take the others with it.
                for entry in batch {
                    do {
                        let result = try await database().transaction { db in
                            try await entry.job(db as! any SQLDatabase)
                        }
                        entry.reply.resume(with: result.mapError { $0 })
                    } catch {
                        entry.reply.resume(throwing: error)
                    }
                }
            }
        }
        draining = false
    }
}

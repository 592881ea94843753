import FluentKit
import SQLKit

/// Saves that arrive together are committed together: one transaction and one sync to disk for the batch, each
/// caller answered only after the commit (so nothing acknowledged can be lost). A save that arrives while a batch
/// commits waits for the next batch, which takes everything that has arrived. On SQLite the batches are its one
/// writer's work; on PostgreSQL they are one server's stream of saves beside its other transactions (the rows a
/// batch writes are locked in pupil order, as a single save's are, so batches of several servers wait, not
/// deadlock).
///
/// Register saves in a batch are read once, judged one after another against what the saves before them wrote, and
/// written in shared statements (`Store.writeMarks(batch:on:)`): a batch of sixteen costs a handful of statements,
/// not five each.
///
/// Each save still stands or falls alone. A save is judged before anything is written and a refusal (`StoreError`)
/// is answered as a value, so the batch goes on without it; an error thrown means the database failed partway
/// through, and then the whole batch is rolled back and each save tried again in a transaction of its own.
actor GroupCommit {
    typealias Job = @Sendable (any SQLDatabase) async throws -> Result<any Sendable, StoreError>
    /// Plans register saves that arrived together and writes them in shared statements, answering each.
    typealias Merge = @Sendable ([MarkSave], any SQLDatabase) async throws -> [Result<MarkWriteResult, StoreError>]

    private enum Work {
        case alone(Job)
        case save(MarkSave, Merge)
    }

    private var pending: [(work: Work, reply: CheckedContinuation<any Sendable, any Error>)] = []
    static let maxBatch = 16
    /// Batches in flight at once: SQLite's one writer takes one; PostgreSQL two, so that one batch is planned and
    /// sent while the other waits for its commit.
    private let lanes: Int
    private var draining = 0
    private let database: @Sendable () -> any Database

    init(lanes: Int = 1, database: @escaping @Sendable () -> any Database) {
        self.lanes = max(1, lanes)
        self.database = database
    }

    /// Work of any kind, run in turn inside the batch's transaction.
    func submit<T: Sendable>(
        _ work: @escaping @Sendable (any SQLDatabase) async throws -> Result<T, StoreError>
    ) async throws -> T {
        try await enqueue(.alone({ db in try await work(db).map { $0 as any Sendable } }))
    }

    /// A register save: the batch's saves are planned together by `merge` and written in shared statements.
    func submit(_ save: MarkSave, merge: @escaping Merge) async throws -> MarkWriteResult {
        try await enqueue(.save(save, merge))
    }

    private func enqueue<T: Sendable>(_ work: Work) async throws -> T {
        let value = try await withCheckedThrowingContinuation { reply in
            pending.append((work, reply))
            if draining < lanes {
                draining += 1
                Task { await self.drain() }
            }
        }
        guard let typed = value as? T else { throw StoreError.corrupt("a group commit answer of the wrong type") }
        return typed
    }

    /// Runs a batch on `db`: the saves together, then the other work in turn.
    private static func run(_ works: [Work], on db: any SQLDatabase) async throws -> [Result<any Sendable, StoreError>]
    {
        var results = [Result<any Sendable, StoreError>?](repeating: nil, count: works.count)
        var saves: [(index: Int, save: MarkSave)] = []
        var merge: Merge?
        for (index, work) in works.enumerated() {
            if case .save(let save, let plan) = work {
                saves.append((index, save))
                merge = merge ?? plan
            }
        }
        if let merge {
            let answers = try await merge(saves.map(\.save), db)
            for (save, answer) in zip(saves, answers) { results[save.index] = answer.map { $0 as any Sendable } }
        }
        for (index, work) in works.enumerated() {
            if case .alone(let job) = work { results[index] = try await job(db) }
        }
        return results.map { $0 ?? .failure(StoreError.corrupt("a group commit work without an answer")) }
    }

    private func drain() async {
        while !pending.isEmpty {
            // At most `maxBatch` at a time: a batch's register is held in memory while it is planned.
            let batch = Array(pending.prefix(Self.maxBatch))
            pending.removeFirst(batch.count)
            let works = batch.map(\.work)
            do {
                let results = try await database().transaction { db in
                    try await Self.run(works, on: db.sqlDatabase)
                }
                for (result, entry) in zip(results, batch) { entry.reply.resume(with: result.mapError { $0 }) }
            } catch {
                // Nothing in the batch was kept. Each save again on its own, so that one failing save (or a
                // failed commit) does not take the others with it.
                for entry in batch {
                    do {
                        let result = try await database().transaction { db in
                            try await Self.run([entry.work], on: db.sqlDatabase)[0]
                        }
                        entry.reply.resume(with: result.mapError { $0 })
                    } catch {
                        entry.reply.resume(throwing: error)
                    }
                }
            }
        }
        draining -= 1
    }
}

import FluentKit
import SQLKit
import Synchronization

/// Copies committed pages from a SQLite file's write-ahead log into the database beside the writer, so that saves
/// do not wait for it. Left to itself SQLite checkpoints in the commit that takes the log past 1,000 pages: that
/// commit copies them all and syncs the database file, and every save queued behind it waits (worst at Wales scale,
/// where saves touch pages all over a 4 GB file; BENCHMARKS.md has the model and the runs).
///
/// After a batch of saves commits, `committed()` starts a passive checkpoint on a connection of its own unless one
/// is running; it copies what it can without taking the writer's lock. The writer keeps SQLite's own checkpoint as
/// it was: by the time it falls due nearly every page has been copied, so it is short, and it is what lets the log
/// start again from its beginning (a passive checkpoint alone, with saves always arriving, would never catch the log
/// complete and it would grow without end). Durability is unchanged: a checkpoint only copies what is committed.
final class WALCheckpointer: Sendable {
    private struct State {
        var running: Task<Void, Never>?
        var closed = false
    }

    private let state = Mutex(State())
    private let connection: @Sendable () -> any SQLDatabase
    /// At most one checkpoint in this long: each one syncs the database file.
    static let interval: Duration = .milliseconds(100)

    init(connection: @escaping @Sendable () -> any SQLDatabase) {
        self.connection = connection
    }

    /// Called after a commit: a checkpoint unless one is running (or the store is closing).
    func committed() {
        state.withLock { state in
            guard !state.closed, state.running == nil else { return }
            let connection = connection
            state.running = Task.detached(priority: .utility) { [weak self] in
                // A failed checkpoint (a reader holding an old snapshot, the disk) is left to the next commit's, or
                // to the writer's own: nothing is lost by it.
                _ = try? await connection().raw("PRAGMA wal_checkpoint(PASSIVE)").run()
                try? await Task.sleep(for: Self.interval)
                self?.state.withLock { $0.running = nil }
            }
        }
    }

    /// Waits for a checkpoint under way (and its pause, at most `interval`) and starts no more, before the
    /// connections close. Not cancelled: a cancelled task's query would not run at all.
    func close() async {
        let running = state.withLock { state in
            state.closed = true
            return state.running
        }
        await running?.value
    }
}

import SQLKit

extension SQLUpdateBuilder {
    /// Runs an update whose conditions include the standing the decision read, and says whether it changed a row.
    /// Two decisions made at once change it once: SQLite's one writer runs them in turn, and PostgreSQL re-reads
    /// the condition once the first commits. The one that changed nothing is refused (`decidedMeanwhile`) and its
    /// transaction undone, so nothing of it is written.
    func changeStanding() async throws {
        guard !(try await returning("id").all()).isEmpty else { throw StoreError.decidedMeanwhile }
    }
}

/// Work running for a person (the day's letters being made), as far as it has got: started, its progress, finished or stopped (table `jobs`).
public struct JobRepository: Sendable {
    let store: Store
}

extension Store {
    public var jobs: JobRepository { JobRepository(store: self) }
}

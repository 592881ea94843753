/// Leave in term time and parents' reports of absence (tables `leave_requests` and `absence_reports`): requests, the head's decisions with what they mean for the register, and reports confirmed by the office.
public struct LeaveRepository: Sendable {
    let store: Store
}

extension Store {
    public var leave: LeaveRepository { LeaveRepository(store: self) }
}

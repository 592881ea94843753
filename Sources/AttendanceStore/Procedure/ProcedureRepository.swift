/// The procedure's record: actions due and what became of them, the daily run that records them, and the office's contact attempts with the reasons they propose (tables `procedure_actions`, `contact_attempts`).
public struct ProcedureRepository: Sendable {
    let store: Store
}

extension Store {
    public var procedure: ProcedureRepository { ProcedureRepository(store: self) }
}

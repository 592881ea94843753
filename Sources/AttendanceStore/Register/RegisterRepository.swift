/// Registers and their marks: the lines of a form's register, marks written with their amendments and audit, imports of marks, the figures summed from them, and who took which register (tables `marks`, `mark_amendments`, with the year records beside them).
public struct RegisterRepository: Sendable {
    let store: Store
}

extension Store {
    public var registers: RegisterRepository { RegisterRepository(store: self) }
}

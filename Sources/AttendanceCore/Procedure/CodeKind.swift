/// Codes a rule reads as one kind, given as a predicate on the code (its category, its meanings). A rule declares
/// the kinds it reads (`ProcedureRule.codeKinds`) and the engine makes each a table by code id once, so a rule
/// about a new property of the codes adds a kind in its own file rather than a table to the engine.
struct CodeKind: Sendable {
    /// Names the kind in the engine's tables: two kinds must not share a name.
    let name: String
    let matches: @Sendable (AttendanceCode) -> Bool

    init(_ name: String, matches: @escaping @Sendable (AttendanceCode) -> Bool) {
        self.name = name
        self.matches = matches
    }

    /// The kind as a table by code id: 256 entries, false for 0 ("no mark") and for ids no code has.
    func table(_ codes: CodeTable) -> [Bool] {
        var table = [Bool](repeating: false, count: 256)
        for code in codes.codes where code.id != 0 { table[Int(code.id)] = matches(code) }
        return table
    }
}

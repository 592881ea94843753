/// What the procedure has done at a school over a period, as counts only (governors may read it): its actions by
/// what became of them, the letters produced, and penalty notice cases by stage.
public struct ProcedureActivity: Sendable, Hashable {
    public var actions: [ProcedureAction: [RecordedAction.Status: Int]]
    public var letters: Int
    /// Penalty notice cases opened in the period, by their status now ("warned", "requested", "issued", …).
    public var penaltyCases: [String: Int]

    public init(
        actions: [ProcedureAction: [RecordedAction.Status: Int]] = [:], letters: Int = 0,
        penaltyCases: [String: Int] = [:]
    ) {
        (self.actions, self.letters, self.penaltyCases) = (actions, letters, penaltyCases)
    }

    /// The steps the policy's procedure takes in order, then anything else the period holds.
    public var orderedActions: [ProcedureAction] {
        let steps: [ProcedureAction] = [
            .letter1, .letter2, .phoneCall, .letter3, .attendanceMeeting, .eswReferral,
        ]
        return steps + ProcedureAction.allCases.filter { !steps.contains($0) && actions[$0] != nil }
    }
}

/// Something the school did about a pupil's absence, in date order: a letter, a call, a meeting or another step
/// of the procedure, with what became of it. `kind` and `what` are keys the reader's words come from. Evidence
/// packs keep these; ESW cases show them.
public struct TimelineStep: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case letter, contact, action
    }

    public let on: String
    public let kind: Kind
    public let what: String
    public let outcome: String?
    public let by: String?
    public let note: String?

    public init(on: String, kind: Kind, what: String, outcome: String?, by: String?, note: String?) {
        self.on = on
        self.kind = kind
        self.what = what
        self.outcome = outcome
        self.by = by
        self.note = note
    }
}

import AttendanceCore
import Foundation

/// An audit line in the reader's language: what happened ("Mark changed"), what it was about, and what changed,
/// field by field ("Mark: N; Minutes late: 5"), never the stored JSON or a key. A field or action the catalogue
/// does not know is shown by its name, so nothing recorded is ever hidden.
enum AuditWords {
    typealias Text = (String, [String: String]) -> String

    static func action(_ action: String, text: Text) -> String {
        Catalogue.known("audit.action.\(action)", text) ?? action
    }

    /// What a line is about: a pupil's UPN, an email, a procedure action's key ("letter_1/2026"), or a leave
    /// request, a parent's report or a contact by its number, in words.
    static func about(_ subject: String, names: [String: String], text: Text) -> String {
        if let name = names[subject] { return name }
        let parts = subject.split(separator: "/", maxSplits: 1)
        if parts.count == 2,
            ["leave", "report", "contact", "penalty", "concern", "intervention", "ctf", "admission"].contains(parts[0]),
            Int(parts[1]) != nil
        {
            return text("audit.about.\(parts[0])", ["id": String(parts[1])])
        }
        if parts.count == 2, parts[0] == "notice" { return text("audit.about.notice", ["id": String(parts[1])]) }
        // A rewards draw: "reward/full_attendance/term/2026-09-01".
        let reward = subject.split(separator: "/")
        if reward.count == 4, reward[0] == "reward", let kind = RewardKind(rawValue: String(reward[1])),
            let span = RewardSpan(rawValue: String(reward[2])), let from = LocalDate(iso: String(reward[3]))
        {
            return text(
                "audit.about.reward",
                [
                    "reward": text("rewards.reward.\(kind.rawValue)", [:]),
                    "span": text("audit.about.span.\(span.rawValue)", [:]), "from": DateText.day(from, text),
                ])
        }
        guard parts.count == 2, let action = ProcedureAction(rawValue: String(parts[0])) else { return subject }
        return text(action.labelKey, [:]) + " (" + ActionWords.session(String(parts[1]), text: text) + ")"
    }

    /// A before or after state ({"code": "N"}) as "Mark: N"; text that is not such a state is shown as it is.
    static func state(_ stored: String?, names: [String: String] = [:], text: Text) -> String {
        guard let stored, !stored.isEmpty else { return "" }
        guard let data = stored.data(using: .utf8),
            let values = try? JSONDecoder().decode([String: String].self, from: data)
        else { return stored }
        return values.keys.sorted().map { name in
            let label = Catalogue.known("audit.field.\(name)", text) ?? name.replacingOccurrences(of: "_", with: " ")
            return "\(label): \(value(values[name] ?? "", of: name, in: values, names: names, text: text))"
        }.joined(separator: "; ")
    }

    /// A field's value: the program's own values (why an action is due, roles, a school's phase, a contact's
    /// relationship and language, yes or no) in words, anything else as recorded.
    private static func value(
        _ stored: String, of field: String, in values: [String: String], names: [String: String], text: Text
    ) -> String {
        if stored == "true" || stored == "false" { return text(stored == "true" ? "common.yes" : "common.no", [:]) }
        if let day = LocalDate(iso: stored) { return DateText.day(day, text) }
        switch field {
        // A person the record keeps by their account's email: named as every page names them.
        case "leader": return RecordWords.actor(stored, names: names, text: text)
        case "relationship": return ContactWords.relationship(stored, text: text)
        case "language":
            return LanguagePreference(rawValue: stored).map { ContactWords.language($0, text: text) } ?? stored
        case "phase": return Catalogue.known("phase.\(stored)", text) ?? stored
        case "method": return Catalogue.known("contact.method.\(stored)", text) ?? stored
        case "outcome":
            return Catalogue.known("contact.outcome.\(stored)", text) ?? Catalogue.known("esw.outcome.\(stored)", text)
                ?? Catalogue.known("medical.outcome.\(stored)", text)
                ?? Catalogue.known("sameDay.outcome.\(stored)", text) ?? stored
        case "source": return Catalogue.known("esw.source.\(stored)", text) ?? stored
        case "kind":
            return Catalogue.known("esw.kind.\(stored)", text) ?? Catalogue.known("interventions.kind.\(stored)", text)
                ?? stored
        case "attendance":
            return Catalogue.known("panel.attendance.\(stored)", text) ?? stored
        case "leaving_reason", "ground": return Catalogue.known("roll.ground.\(stored)", text) ?? stored
        case "cme_outcome": return Catalogue.known("cme.outcome.\(stored)", text) ?? stored
        case "plan_outcome": return Catalogue.known("plan.outcome.\(stored)", text) ?? stored
        case "plan_next": return Catalogue.known("plan.next.\(stored)", text) ?? stored
        case "part": return Catalogue.known("family.part.\(stored)", text) ?? stored
        case "category": return Catalogue.known("leave.category.\(stored)", text) ?? stored
        case "decision": return Catalogue.known("leave.status.\(stored)", text) ?? stored
        case "pence": return Int(stored).map { PenaltyWords.pounds($0) } ?? stored
        case "reason" where values["part"] != nil: return Catalogue.known("family.reason.\(stored)", text) ?? stored
        case "basis": return ActionWords.why(stored, count: values["count"].flatMap { Int($0) } ?? 0, text: text)
        case "role", "roles":
            let grants = stored.components(separatedBy: "; ").map { RoleGrant(recorded: $0) }
            guard grants.allSatisfy({ $0 != nil }) else { return stored }
            return grants.compactMap { $0 }.map { RoleText.words($0, names: [:], text: text) }.joined(separator: "; ")
        default: return stored
        }
    }
}

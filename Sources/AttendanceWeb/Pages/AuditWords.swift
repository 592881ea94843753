import Foundation

/// An audit line in the reader's language: what happened ("Mark changed") and what changed, field by field
/// ("Mark: N; Minutes late: 5"), never the stored JSON. A field or action the catalogue does not know is shown by
/// its name, so nothing recorded is ever hidden.
enum AuditWords {
    typealias Text = (String, [String: String]) -> String

    static func action(_ action: String, text: Text) -> String {
        Catalogue.known("audit.action.\(action)", text) ?? action
    }

    /// A before or after state ({"code": "N"}) as "Mark: N"; text that is not such a state is shown as it is.
    static func state(_ stored: String?, text: Text) -> String {
        guard let stored, !stored.isEmpty else { return "" }
        guard let data = stored.data(using: .utf8),
            let values = try? JSONDecoder().decode([String: String].self, from: data)
        else { return stored }
        return values.keys.sorted().map { name in
            let label = Catalogue.known("audit.field.\(name)", text) ?? name.replacingOccurrences(of: "_", with: " ")
            return "\(label): \(values[name] ?? "")"
        }.joined(separator: "; ")
    }
}

/// Text made safe to put inside XML or SVG, as element content or an attribute's value (the apostrophe as a
/// numeric reference, which every XML and HTML reader knows).
public enum XMLText {
    public static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}

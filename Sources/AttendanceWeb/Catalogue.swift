/// The catalogue's words for a key, or nil when it has none (the catalogue answers an unknown key with the key):
/// for values the record holds that the catalogue may or may not name (a relationship, a criterion, an audit field).
enum Catalogue {
    static func known(_ key: String, _ text: (String, [String: String]) -> String) -> String? {
        let said = text(key, [:])
        return said == key ? nil : said
    }
}

import AttendanceCore
import Vapor

/// A form as sent, read field by field into typed values that check themselves. A page's form is a struct (a
/// `Form`) whose `init(from:)` reads each of its fields here; each read refuses with a `WebError` or `InputError`
/// naming the field, so a form's checks are in one place and a controller receives values, never text.
struct FormFields {
    struct Key: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(_ name: String) { stringValue = name }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    let container: KeyedDecodingContainer<Key>

    init(_ decoder: any Decoder) throws {
        container = try decoder.container(keyedBy: Key.self)
    }

    /// Every field's name as sent (a register's form names a field for each pupil).
    var names: [String] { container.allKeys.map(\.stringValue) }

    /// The field as sent, trimmed of white space at its ends; "" when it was not sent.
    func raw(_ name: String) -> String {
        let value = (try? container.decodeIfPresent(String.self, forKey: Key(name))) ?? nil
        return (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The field exactly as sent, nil when it was not sent (a register keeps what was typed as it was typed).
    func sent(_ name: String) -> String? { (try? container.decodeIfPresent(String.self, forKey: Key(name))) ?? nil }

    /// Whether the field was sent with something in it.
    func has(_ name: String) -> Bool { !raw(name).isEmpty }

    /// Free text of at most `limit` characters with no control characters but line breaks and tabs; refused
    /// when empty if `required`.
    func words(_ name: String, limit: Int, required: Bool = false) throws -> String {
        let text = try TextField(name: name, limit: limit).check(raw(name))
        if required && text.isEmpty { throw WebError.badField(name, .missingOrInvalid) }
        return text
    }

    /// The same, nil when empty.
    func optionalWords(_ name: String, limit: Int) throws -> String? {
        let text = try words(name, limit: limit)
        return text.isEmpty ? nil : text
    }

    /// A date (YYYY-MM-DD, 1990–2100), which must be given.
    func date(_ name: String) throws -> LocalDate {
        guard let date = try optionalDate(name) else { throw WebError.badField(name, .notADate("")) }
        return date
    }

    /// A date, nil when empty.
    func optionalDate(_ name: String) throws -> LocalDate? {
        let text = raw(name)
        guard !text.isEmpty else { return nil }
        guard let date = LocalDate(entered: text) else { throw WebError.badField(name, .notADate(text)) }
        return date
    }

    /// One of a set of values the page offers.
    func choice<Value: RawRepresentable>(_ name: String, as type: Value.Type = Value.self) throws -> Value
    where Value.RawValue == String {
        guard let value = Value(rawValue: raw(name)) else { throw WebError.badField(name, .missingOrInvalid) }
        return value
    }

    /// The same, nil when empty.
    func optionalChoice<Value: RawRepresentable>(_ name: String, as type: Value.Type = Value.self) throws -> Value?
    where Value.RawValue == String {
        raw(name).isEmpty ? nil : try choice(name, as: type)
    }

    /// A whole number in a range.
    func number(_ name: String, in range: ClosedRange<Int>) throws -> Int {
        guard let number = Int(raw(name)), range.contains(number) else {
            throw WebError.badField(name, .missingOrInvalid)
        }
        return number
    }

    /// A school by its LAESTAB, nil when empty.
    func optionalSchool(_ name: String) throws -> LAESTAB? {
        let text = raw(name)
        guard !text.isEmpty else { return nil }
        guard let laestab = LAESTAB(text: text) else { throw WebError.badField(name, .notRecognised(text)) }
        return laestab
    }

    /// A pupil by UPN.
    func pupil(_ name: String) throws -> UPN {
        let text = raw(name)
        guard let upn = try? UPN(text) else {
            throw text.isEmpty
                ? WebError.badField(name, .missingOrInvalid) : WebError.badField(name, .notRecognised(text))
        }
        return upn
    }
}

/// A page's form: a struct that reads its fields from `FormFields` in its `init(from:)`.
protocol Form: Decodable {
    init(_ fields: FormFields) throws
    /// The catalogue key of each field's label on the page, so a refusal names the field as the reader sees it.
    static var labels: [String: String] { get }
}

extension Form {
    init(from decoder: any Decoder) throws { try self.init(FormFields(decoder)) }
    static var labels: [String: String] { [:] }
}

/// A field of a form that could not be taken: the `WebError` or `InputError` naming it. A page may catch it to
/// show itself again with its own sentence; uncaught, it is said as the error it holds.
struct FormRefusal: Error {
    let error: any Error
    init(_ error: any Error) { self.error = error }
}

extension Request {
    /// The request's form, read and checked; a field that cannot be taken is a `FormRefusal` naming it. (A body
    /// that is not a form at all is Vapor's own 400 or 415.)
    func form<F: Form>(_ type: F.Type) throws -> F {
        do {
            return try content.decode(F.self)
        } catch WebError.badField(let name, let why, nil) {
            throw FormRefusal(WebError.badField(name, why, label: F.labels[name]))
        } catch let error as WebError {
            throw FormRefusal(error)
        } catch let error as InputError {
            throw FormRefusal(error)
        } catch let error as DecodingError {
            // Only a field read as something other than text gets here: name it.
            let field: String
            switch error {
            case .keyNotFound(let key, _): field = key.stringValue
            case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
                field = context.codingPath.last?.stringValue ?? "form"
            @unknown default: field = "form"
            }
            throw FormRefusal(WebError.badField(field, .missingOrInvalid))
        }
    }

    /// What a refused form names, in the reader's language, to follow a page's own sentence: " (on: …)".
    func refusalDetail(_ error: any Error) -> String {
        PageErrorMiddleware.words(error) { self.text($0, $1) }.2.map { " (\($0))" } ?? ""
    }
}

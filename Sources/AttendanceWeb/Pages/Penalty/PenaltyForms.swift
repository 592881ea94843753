import AttendanceCore
import AttendanceStore
import Foundation

/// The penalty notice pages' forms, each read and checked field by field (`FormFields`).
enum PenaltyForms {
    /// The head's request: the notes on engagement and equality the Education Lead reads, both needed.
    struct Request: Form {
        let engagement: String
        let equality: String

        init(_ fields: FormFields) throws {
            engagement = try fields.words("engagement", limit: 2000, required: true)
            equality = try fields.words("equality", limit: 2000, required: true)
        }
    }

    /// The Education Lead's decision on a request.
    struct Decision: Form {
        enum Choice: String { case approve, decline }
        let approve: Bool
        let reason: String

        init(_ fields: FormFields) throws {
            approve = try fields.choice("decision", as: Choice.self) == .approve
            reason = fields.raw("reason")
        }
    }

    /// Notices issued: how they were served and on which day.
    struct Issue: Form {
        let method: ServiceMethod
        let issuedOn: LocalDate

        init(_ fields: FormFields) throws {
            method = try fields.choice("method")
            issuedOn = try fields.date("issued_on")
        }
    }

    /// A payment: the amount as a person types it ("60", "60.00" or "£60", up to £10,000), the day and the
    /// payment's reference.
    struct Payment: Form {
        let pence: Int
        let paidOn: LocalDate
        let reference: String

        init(_ fields: FormFields) throws {
            let typed = fields.raw("amount").replacingOccurrences(of: "£", with: "").trimmingCharacters(
                in: .whitespaces)
            guard let pounds = Decimal(string: typed), pounds >= 0, pounds <= 10_000 else {
                throw WebError.badField("amount", .missingOrInvalid)
            }
            pence = NSDecimalNumber(decimal: pounds * 100).intValue
            paidOn = try fields.date("paid_on")
            reference = try fields.words("reference", limit: 100, required: true)
        }
    }
}

import AttendanceCore
import Vapor

/// What the web edge refuses, typed: each case is its status and its sentence in both catalogues, and names what
/// it is about. `PageErrorMiddleware` says it in the reader's language (a page, or JSON for the API); a controller
/// never writes a status's reason or a sentence of its own. (A plain `Abort(.notFound)` or `Abort(.forbidden)`
/// carries nothing but its status and stays one.)
enum WebError: Error, Equatable {
    /// A refusal with a sentence of its own.
    case refused(Refusal)
    /// A value of a form or a body that cannot be taken: the field as the form or body names it, why, and for a
    /// page the catalogue key of the field's label, which the reader is shown instead of its name.
    case badField(String, Why, label: String? = nil)
    /// A query parameter that cannot be taken (400: the address itself is wrong), and why.
    case badQuery(String, Why)
    /// A field the request must carry and does not (400: the request is not one the page sends).
    case missingField(String)
    /// A body that is not of the shape the API documents (its JSON keys, as the detail).
    case badBody(shape: String)
    /// A template the program ships is missing: the server's fault, never the reader's.
    case missingTemplate(String)

    /// Refusals with their own sentence, `error.<key>` in both catalogues (`StringsTests` asks each).
    enum Refusal: Equatable, Sendable {
        case badToken, unauthorized, csrf
        case registerBadDate, registerBadSession, registerNoGroup, notSchoolDay
        case fromAfterToday, notOnYourRoll
        case medicalNeedReason, medicalBadPlan
        case legalBadDay, legalWrongOrigin, legalOutOfOrder
        case eswNeedNotes, eswPupilLeft
        case patrolBadUPN, rollBadForm, cmeNeedReason, cmeBadEnquiry
        case letterDetails, noContact
        /// A report asked for as a PDF where the PDF maker (WeasyPrint) is not installed.
        case noPDF
        case letterLacks(LetterConditions.Lack)

        static let all: [Refusal] =
            [
                .badToken, .unauthorized, .csrf, .registerBadDate, .registerBadSession, .registerNoGroup,
                .notSchoolDay, .fromAfterToday, .notOnYourRoll, .medicalNeedReason, .medicalBadPlan, .legalBadDay,
                .legalWrongOrigin, .legalOutOfOrder, .eswNeedNotes, .eswPupilLeft, .patrolBadUPN, .rollBadForm,
                .cmeNeedReason, .cmeBadEnquiry, .letterDetails, .noContact, .noPDF,
            ]
            + [
                .belowThreshold(needed: 10, absent: 2), .alreadySent(LocalDate(dayNumber: 0)), .noMissedMeeting,
                .noPreHolidayPattern, .noPenaltyCriteria, .notEarned, .notImproved, .waitingForInvitation,
            ].map(Refusal.letterLacks)

        var key: String {
            switch self {
            case .badToken: "error.badToken"
            case .unauthorized: "error.unauthorized"
            case .csrf: "error.csrf"
            case .registerBadDate: "error.register.badDate"
            case .registerBadSession: "error.register.badSession"
            case .registerNoGroup: "error.register.noGroup"
            case .notSchoolDay: "error.notSchoolDay"
            case .fromAfterToday: "error.fromAfterToday"
            case .notOnYourRoll: "error.notOnYourRoll"
            case .medicalNeedReason: "error.medical.needReason"
            case .medicalBadPlan: "error.medical.badPlan"
            case .legalBadDay: "error.legal.badDay"
            case .legalWrongOrigin: "error.legal.wrongOrigin"
            case .legalOutOfOrder: "error.legal.outOfOrder"
            case .eswNeedNotes: "error.esw.needNotes"
            case .eswPupilLeft: "error.esw.pupilLeft"
            case .patrolBadUPN: "error.patrol.badUPN"
            case .rollBadForm: "error.roll.badForm"
            case .cmeNeedReason: "error.cme.needReason"
            case .cmeBadEnquiry: "error.cme.badEnquiry"
            case .letterDetails: "error.letterDetails"
            case .noContact: "error.noContact"
            case .noPDF: "error.noPDF"
            // Two lacks keep the sentences they had before the record's checks were one (issue 31).
            case .letterLacks(.notEarned): "error.notEarned"
            case .letterLacks(.waitingForInvitation): "error.waitingForInvitation"
            case .letterLacks(let lack): "error.letterLacks.\(lack.key)"
            }
        }

        var status: HTTPStatus {
            switch self {
            case .badToken, .unauthorized: .unauthorized
            case .csrf, .notOnYourRoll: .forbidden
            case .registerBadDate, .notSchoolDay, .fromAfterToday: .badRequest
            case .registerBadSession, .registerNoGroup: .notFound
            case .eswPupilLeft: .conflict
            case .noPDF: .serviceUnavailable
            default: .unprocessableEntity
            }
        }
    }

    /// Why a field's value cannot be taken.
    enum Why: Equatable, Sendable {
        /// Not a date in the form YYYY-MM-DD (between 1990 and 2100); the value as given.
        case notADate(String)
        /// A day that has not come yet.
        case future
        /// Not a code of the code table; the value as given.
        case unknownCode(String)
        /// It ends before it starts.
        case backwards
        /// The longest span the page shows, in days.
        case longerThan(days: Int)
        /// Not one of the values the field takes (the API's documented values).
        case notOneOf([String])
        /// Not a value this field can name (a school, a pupil); the value as given.
        case notRecognised(String)
        /// Missing, or not a value the page offers: nothing more to say than the field's name.
        case missingOrInvalid
        /// A letter's detail, refused as `LetterDetails` says.
        case letterDetail(LetterDetails.Problem)
        /// A device's key or time for a save it held, refused as `DeviceSave` says.
        case deviceSave(DeviceSave.Problem)
    }

    var status: HTTPStatus {
        switch self {
        case .refused(let refusal): refusal.status
        case .badField, .badBody: .unprocessableEntity
        case .missingField, .badQuery: .badRequest
        case .missingTemplate: .internalServerError
        }
    }

    /// The catalogue key of the headline sentence, and the detail in the reader's language (from `text`).
    func words(_ text: (String, [String: String]) -> String) -> (key: String, detail: String?) {
        switch self {
        case .refused(let refusal): return (refusal.key, nil)
        case .badBody(let shape): return ("error.badBody", shape)
        case .missingField(let field): return ("error.badRequest", field)
        case .missingTemplate: return ("error.server", nil)
        case .badQuery(let name, let why): return WebError.badField(name, why).words(text)
        case .badField(let name, let why, let label):
            let field = label.map { text($0, [:]) } ?? name
            let detail: String =
                switch why {
                // "from: give a date (YYYY-MM-DD).": the sentence names the field itself.
                case .notADate: text("letterDetail.not_a_date", ["field": field])
                case .future: "\(field): " + text("contact.futureDate", [:])
                case .unknownCode(let code): "\(field): " + text("register.unknownCode", ["code": code])
                case .backwards: "\(field): " + text("error.endsBeforeStart", [:])
                case .longerThan(let days): "\(field): " + text("error.longerThan", ["days": String(days)])
                case .notOneOf(let values):
                    "\(field): " + text("error.notOneOf", ["values": values.joined(separator: ", ")])
                case .notRecognised(let value): "\(field): " + text("error.notRecognised", ["value": value])
                case .missingOrInvalid: field
                case .letterDetail(let problem): "\(field): " + LettersController.detailText(text, problem)
                case .deviceSave(.key): "\(field): " + text("deviceSave.key", [:])
                case .deviceSave(.madeAt): "\(field): " + text("deviceSave.madeAt", [:])
                }
            return ("error.badRequest", detail)
        }
    }
}

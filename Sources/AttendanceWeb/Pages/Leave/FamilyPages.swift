import AttendanceCore
import AttendanceStore

/// A choice in a select, with whether it is the one chosen (kept after a refusal).
struct Chosen: Sendable {
    let value: String
    let label: String
    let selected: Bool
}

extension PupilPage {
    /// Absences reported and leave asked for: what the family sent and what the school made of it, and, for
    /// those who may send one (the parent, the office for them), the form to report an absence and the way to
    /// ask for leave. Letters sent to this parent, for a parent.
    struct Family: Sendable {
        struct Line: Sendable {
            let what: String
            let status: String
        }

        struct KeptLetter: Sendable {
            let date: String
            let letter: String
            let href: String
        }

        let familyTitle: String
        let notice: String?
        let error: String?
        let reports: [Line]
        let requests: [Line]
        let noRequests: String
        let mayAsk: Bool
        let reportTitle: String
        let reportAction: String
        let toLabel: String
        let partLabel: String
        let parts: [Chosen]
        let reasonLabel: String
        let reasons: [Chosen]
        let noteLabel: String
        let today: String
        /// The school days a parent may choose, and what they typed last time (kept after a refusal).
        let dayLabel: String
        let dayChoices: [Chosen]
        let otherDayLabel: String
        let otherDay: String
        let toValue: String
        let note: String
        let send: String
        let askHref: String
        let askLabel: String
        /// Shown to a parent only.
        let showsParentLetters: Bool
        let parentLetters: [KeptLetter]
        /// Text messages and emails sent to this parent (a parent only).
        let parentMessages: [PupilPage.Message]
        let parentMessagesTitle: String
        let noParentMessages: String
        let parentLettersTitle: String
        let noParentLetters: String
        /// The parent's own contact record for this child, to keep up to date (a parent only).
        let mine: Mine?

        struct Mine: Sendable {
            let title: String
            let intro: String
            let action: String
            let phoneLabel: String
            let phone: String
            let mobileLabel: String
            let mobile: String
            let emailLabel: String
            let email: String
            let addressLabel: String
            let address: String
            let languageLabel: String
            let languages: [Chosen]
            let save: String

            static func make(_ contact: Contact, upn: UPN, text: @escaping PupilPage.Text) -> Mine {
                let plain = { (key: String) in text(key, [:]) }
                return Mine(
                    title: plain("family.mine"), intro: plain("family.mineIntro"),
                    action: SiteURL.contactDetails.path(["upn": upn.value]), phoneLabel: plain("audit.field.phone"),
                    phone: contact.phone ?? "", mobileLabel: plain("audit.field.mobile"), mobile: contact.mobile ?? "",
                    emailLabel: plain("audit.field.email"), email: contact.email ?? "",
                    addressLabel: plain("audit.field.address"), address: contact.address ?? "",
                    languageLabel: plain("family.language"),
                    languages: LanguagePreference.allCases.map {
                        Chosen(
                            value: $0.rawValue, label: ContactWords.language($0, text: text),
                            selected: $0 == contact.language)
                    }, save: plain("family.saveMine"))
            }
        }

        /// What a parent typed into the report form, kept when it is refused.
        /// What the parent typed, kept to show again when a report is refused (the form as sent: `Form`).
        struct Typed: Sendable, Form {
            var day = ""
            var otherDay = ""
            var to = ""
            var part = AbsenceReport.Part.whole.rawValue
            var reason = AbsenceReport.Reason.illness.rawValue
            var note = ""

            init() {}

            init(_ fields: FormFields) throws {
                day = fields.raw("day")
                otherDay = fields.raw("from")
                to = fields.raw("to")
                part = fields.raw("part")
                reason = fields.raw("reason")
                note = String((fields.sent("note") ?? "").prefix(1000))
                noteAsSent = fields.sent("note") ?? ""
            }

            /// The note in full, for its one check (`Fields.absenceNote`).
            var noteAsSent = ""
        }

        static func make(
            upn: UPN, reports: [AbsenceReport], requests: [LeaveRequest], mayAsk: Bool, today: LocalDate,
            letters: [StoredLetter]?, messages: [Delivery] = [], mine: Contact? = nil, notice: String?, error: String?,
            codes: CodeTable, choices: [LocalDate] = [], typed: Typed = Typed(),
            language: Language, names: [String: String], text: @escaping PupilPage.Text
        ) -> Family {
            let plain = { (key: String) in text(key, [:]) }
            return Family(
                familyTitle: plain("family.title"), notice: notice, error: error,
                reports: reports.map { report in
                    Line(
                        what: FamilyWords.report(report, names: names, text: text),
                        status: report.confirmedCode.map { code in
                            text(
                                "family.confirmed",
                                ["code": PupilPage.codeText(code, codes: codes, language: language, text: text)])
                        } ?? plain("family.waiting"))
                },
                requests: requests.map {
                    Line(what: FamilyWords.request($0, text: text), status: FamilyWords.status($0, text: text))
                },
                noRequests: plain("family.none"), mayAsk: mayAsk, reportTitle: plain("family.reportTitle"),
                reportAction: SiteURL.reportAbsence.path(["upn": upn.value]),
                toLabel: plain("family.to"), partLabel: plain("family.part"),
                parts: AbsenceReport.Part.allCases.map {
                    Chosen(
                        value: $0.rawValue, label: plain("family.part.\($0.rawValue)"),
                        selected: $0.rawValue == typed.part)
                }, reasonLabel: plain("family.reason"),
                reasons: AbsenceReport.Reason.allCases.map {
                    Chosen(
                        value: $0.rawValue, label: plain("family.reason.\($0.rawValue)"),
                        selected: $0.rawValue == typed.reason)
                }, noteLabel: plain("family.note"), today: today.iso,
                dayLabel: plain("family.day"),
                dayChoices: choices.map {
                    Chosen(
                        value: $0.iso, label: FamilyWords.day($0, language: language, text: text),
                        selected: $0.iso == typed.day)
                }, otherDayLabel: plain("family.otherDay"), otherDay: typed.otherDay, toValue: typed.to,
                note: typed.note, send: plain("family.send"),
                askHref: SiteURL.askLeave.path(["upn": upn.value]), askLabel: plain("family.ask"),
                showsParentLetters: letters != nil,
                parentLetters: (letters ?? []).map {
                    KeptLetter(
                        date: DateText.moment($0.producedAt, text), letter: plain("letters.kind.\($0.kind.rawValue)"),
                        href: SiteURL.familyLetter.path(["upn": upn.value, "id": String($0.id)]))
                },
                parentMessages: messages.map {
                    PupilPage.Message(
                        when: DateText.moment($0.createdAt, text), how: plain("channel.\($0.channel.rawValue)"),
                        text: $0.body, status: LetterRow.status($0, text: text))
                }, parentMessagesTitle: plain("family.messages"), noParentMessages: plain("family.noMessages"),
                parentLettersTitle: plain("family.letters"), noParentLetters: plain("family.noLetters"),
                mine: mine.map { Mine.make($0, upn: upn, text: text) })
        }
    }
}

/// A report or a request in words, for the family and the school alike.
enum FamilyWords {
    /// A day as a parent reads it: "Monday 7 December", "dydd Llun 7 Rhagfyr".
    static func day(_ date: LocalDate, language: Language, text: PupilPage.Text) -> String {
        date.readableDay(language)
    }

    static func dates(_ range: DateRange, text: PupilPage.Text) -> String {
        DateText.range(range, text)
    }

    static func report(_ report: AbsenceReport, names: [String: String], text: PupilPage.Text) -> String {
        text(
            "family.reportLine",
            [
                "dates": dates(report.dates, text: text), "part": text("family.part.\(report.part.rawValue)", [:]),
                "reason": text("family.reason.\(report.reason.rawValue)", [:]), "note": report.note,
                "by": RecordWords.actor(report.reportedBy, names: names, text: text),
            ])
    }

    static func request(_ request: LeaveRequest, text: PupilPage.Text) -> String {
        text("family.requestLine", ["dates": dates(request.dates, text: text), "reason": request.reason])
    }

    static func status(_ request: LeaveRequest, text: PupilPage.Text) -> String {
        var words = text("leave.status.\(request.status.rawValue)", [:])
        if let decision = request.decision {
            if let agreed = decision.agreed, request.status == .partlyAgreed {
                words += " (" + text("leave.agreedDays", ["dates": dates(agreed, text: text)]) + ")"
            }
            words += ": " + decision.reason
        }
        return words
    }
}

/// The policy's form for leave in term time (appendix 2): the dates, the reason, whether the circumstances are
/// exceptional and the evidence, and the other children at the school it covers. What was typed is kept after a
/// refusal.
struct AskLeavePage: PageModel {
    static let template = "ask-leave"

    let title: String
    let intro: String
    let limitNote: String
    let error: String?
    let action: String
    let toLabel: String
    let reasonLabel: String
    let categories: [Chosen]
    let send: String
    let backHref: String
    let from: String
    let to: String
    let reason: String
    let details: String
    let siblings: String

    /// What the parent typed, kept to show again when a request is refused (the form as sent: `Form`).
    struct Typed: Sendable, Form {
        var from = ""
        var to = ""
        var reason = ""
        var category = ""
        var details = ""
        var siblings = ""

        init(
            from: String = "", to: String = "", reason: String = "", category: String = "", details: String = "",
            siblings: String = ""
        ) {
            (self.from, self.to, self.reason, self.category) = (from, to, reason, category)
            (self.details, self.siblings) = (details, siblings)
        }

        init(_ fields: FormFields) throws {
            from = fields.sent("from") ?? ""
            to = fields.sent("to") ?? ""
            reason = fields.sent("reason") ?? ""
            category = fields.sent("category") ?? ""
            details = fields.sent("details") ?? ""
            siblings = fields.sent("siblings") ?? ""
        }
    }

    static func make(
        pupil: Pupil, limit: Int, typed: Typed, error: String?, text: @escaping PupilPage.Text
    ) -> AskLeavePage {
        let plain = { (key: String) in text(key, [:]) }
        return AskLeavePage(
            title: text("leave.askTitle", ["name": pupil.displayName]), intro: plain("leave.askIntro"),
            limitNote: text("leave.limitNote", ["limit": String(limit)]), error: error,
            action: SiteURL.askLeave.path(["upn": pupil.upn.value]), toLabel: plain("family.to"),
            reasonLabel: plain("leave.reason"),
            categories: [Chosen(value: "", label: plain("leave.category.none"), selected: typed.category.isEmpty)]
                + ExceptionalCategory.allCases.map {
                    Chosen(
                        value: $0.rawValue, label: plain("leave.category.\($0.rawValue)"),
                        selected: typed.category == $0.rawValue)
                }, send: plain("leave.send"),
            backHref: SiteURL.pupil(pupil.upn, fragment: "family"), from: typed.from,
            to: typed.to, reason: typed.reason, details: typed.details, siblings: typed.siblings)
    }
}

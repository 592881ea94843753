import Foundation

/// A value a letter template may name, documented in both languages for whoever edits a template.
public struct LetterPlaceholder: Sendable, Hashable {
    public let name: String
    /// A section (`{{#name}}…{{/name}}`) shown only when true, rather than a value.
    public let isSection: Bool
    public let en: String
    public let cy: String

    public func description(in language: Language) -> String { language == .cy ? cy : en }
}

extension LetterPlaceholder {
    /// Every placeholder a template may use. A template naming anything else is refused before it is kept or sent.
    public static let all: [LetterPlaceholder] = [
        .init(name: "pupil_name", isSection: false, en: "The pupil's name", cy: "Enw'r disgybl"),
        .init(name: "pupil_forename", isSection: false, en: "The pupil's first name", cy: "Enw cyntaf y disgybl"),
        .init(
            name: "and_attendance", isSection: false,
            en: "\"and his attendance\" / \"and her attendance\", as the record says (the name if it does not)",
            cy: "\"a'i bresenoldeb\" / \"a'i phresenoldeb\", yn ôl y cofnod (yr enw os nad yw'n dweud)"),
        .init(name: "upn", isSection: false, en: "Unique Pupil Number", cy: "Rhif Disgybl Unigryw"),
        .init(name: "date_of_birth", isSection: false, en: "Date of birth", cy: "Dyddiad geni"),
        .init(name: "year_group", isSection: false, en: "Year group", cy: "Blwyddyn ysgol"),
        .init(name: "registration_group", isSection: false, en: "Registration group", cy: "Grŵp cofrestru"),
        .init(name: "school_name", isSection: false, en: "The school's name", cy: "Enw'r ysgol"),
        .init(name: "date", isSection: false, en: "The date of the letter", cy: "Dyddiad y llythyr"),
        .init(
            name: "academic_year", isSection: false, en: "The school year, e.g. 2026/27",
            cy: "Y flwyddyn ysgol, e.e. 2026/27"),
        .init(name: "recipient_names", isSection: false, en: "Who the letter is to", cy: "At bwy mae'r llythyr"),
        .init(
            name: "period_from", isSection: false, en: "First day the figures count", cy: "Diwrnod cyntaf y ffigurau"),
        .init(name: "period_to", isSection: false, en: "Last day the figures count", cy: "Diwrnod olaf y ffigurau"),
        .init(
            name: "possible", isSection: false, en: "Sessions possible this year so far",
            cy: "Sesiynau posibl eleni hyd yma"),
        .init(name: "attended", isSection: false, en: "Sessions attended", cy: "Sesiynau a fynychwyd"),
        .init(name: "absent", isSection: false, en: "Sessions absent", cy: "Sesiynau yn absennol"),
        .init(
            name: "authorised", isSection: false, en: "Authorised absence sessions",
            cy: "Sesiynau absenoldeb awdurdodedig"),
        .init(
            name: "unauthorised", isSection: false, en: "Unauthorised absence sessions",
            cy: "Sesiynau absenoldeb heb ei awdurdodi"),
        .init(
            name: "percent", isSection: false, en: "Attendance percentage, e.g. 93.4%",
            cy: "Canran presenoldeb, e.e. 93.4%"),
        .init(
            name: "earlier_percent", isSection: false,
            en: "A most-improved certificate: attendance in the earlier period",
            cy: "Tystysgrif y gwelliant mwyaf: presenoldeb yn y cyfnod cynt"),
        .init(
            name: "earlier_from", isSection: false, en: "First day of the earlier period",
            cy: "Diwrnod cyntaf y cyfnod cynt"),
        .init(
            name: "earlier_to", isSection: false, en: "Last day of the earlier period", cy: "Diwrnod olaf y cyfnod cynt"
        ),
        .init(
            name: "persistent_absence", isSection: true, en: "Shown when the pupil has missed 10% or more",
            cy: "Yn cael ei ddangos pan fo'r disgybl wedi colli 10% neu fwy"),
        .init(
            name: "meeting_date", isSection: false, en: "Date of the attendance meeting",
            cy: "Dyddiad y cyfarfod presenoldeb"),
        .init(name: "meeting_time", isSection: false, en: "Time of the meeting", cy: "Amser y cyfarfod"),
        .init(name: "meeting_place", isSection: false, en: "Where the meeting is", cy: "Lle mae'r cyfarfod"),
        .init(
            name: "holiday_from", isSection: false, en: "First day of the holiday asked for",
            cy: "Diwrnod cyntaf y gwyliau y gofynnwyd amdano"),
        .init(
            name: "holiday_to", isSection: false, en: "Last day of the holiday asked for",
            cy: "Diwrnod olaf y gwyliau y gofynnwyd amdano"),
        .init(
            name: "holiday_agreed", isSection: true, en: "Shown when the head agreed the request",
            cy: "Yn cael ei ddangos pan gytunodd y pennaeth"),
        .init(
            name: "holiday_refused", isSection: true, en: "Shown when the head refused the request",
            cy: "Yn cael ei ddangos pan wrthododd y pennaeth"),
        .init(
            name: "holiday_off_roll", isSection: true,
            en: "Shown when the request is for more than four weeks: the pupil comes off the roll",
            cy: "Yn cael ei ddangos pan fo'r cais am fwy na phedair wythnos: daw'r disgybl oddi ar y gofrestr"),
        .init(
            name: "holiday_partly", isSection: true, en: "Shown when the head agreed some of the days asked for",
            cy: "Yn cael ei ddangos pan gytunodd y pennaeth i rai o'r dyddiau"),
        .init(
            name: "holiday_agreed_from", isSection: false, en: "First day agreed (when some days were agreed)",
            cy: "Y diwrnod cyntaf a gytunwyd (pan gytunwyd i rai dyddiau)"),
        .init(
            name: "holiday_agreed_to", isSection: false, en: "Last day agreed (when some days were agreed)",
            cy: "Y diwrnod olaf a gytunwyd (pan gytunwyd i rai dyddiau)"),
        .init(name: "holiday_reason", isSection: false, en: "The head's reason", cy: "Rheswm y pennaeth"),
        .init(name: "notice_number", isSection: false, en: "The penalty notice's number", cy: "Rhif yr hysbysiad cosb"),
        .init(
            name: "notice_from", isSection: false, en: "First day of the period the notice is for",
            cy: "Diwrnod cyntaf y cyfnod y mae'r hysbysiad ar ei gyfer"),
        .init(
            name: "notice_to", isSection: false, en: "Last day of the period the notice is for",
            cy: "Diwrnod olaf y cyfnod y mae'r hysbysiad ar ei gyfer"),
        .init(
            name: "notice_sessions", isSection: false, en: "Unauthorised sessions in that period",
            cy: "Sesiynau anawdurdodedig yn y cyfnod hwnnw"),
        .init(
            name: "notice_received", isSection: false, en: "The day the notice is taken to be received",
            cy: "Y diwrnod y bernir bod yr hysbysiad wedi dod i law"),
        .init(name: "notice_early_amount", isSection: false, en: "The lower amount (£60)", cy: "Y swm is (£60)"),
        .init(
            name: "notice_early_by", isSection: false, en: "Last day to pay the lower amount",
            cy: "Y diwrnod olaf i dalu'r swm is"),
        .init(name: "notice_late_amount", isSection: false, en: "The higher amount (£120)", cy: "Y swm uwch (£120)"),
        .init(
            name: "notice_late_by", isSection: false, en: "Last day to pay at all",
            cy: "Y diwrnod olaf i dalu o gwbl"),
        .init(name: "signatory", isSection: false, en: "Who produced the letter", cy: "Pwy a gynhyrchodd y llythyr"),
        .init(
            name: "wrote_before", isSection: true, en: "Shown when Letter 1, 2 or 3 was sent earlier this year",
            cy: "Yn cael ei ddangos pan anfonwyd Llythyr 1, 2 neu 3 yn gynharach eleni"),
        .init(
            name: "letter1_sent", isSection: true, en: "Shown when Letter 1 was sent this year",
            cy: "Yn cael ei ddangos pan anfonwyd Llythyr 1 eleni"),
        .init(name: "letter1_date", isSection: false, en: "When Letter 1 was sent", cy: "Pryd anfonwyd Llythyr 1"),
        .init(
            name: "letter2_sent", isSection: true, en: "Shown when Letter 2 was sent this year",
            cy: "Yn cael ei ddangos pan anfonwyd Llythyr 2 eleni"),
        .init(name: "letter2_date", isSection: false, en: "When Letter 2 was sent", cy: "Pryd anfonwyd Llythyr 2"),
        .init(
            name: "letter3_sent", isSection: true, en: "Shown when Letter 3 was sent this year",
            cy: "Yn cael ei ddangos pan anfonwyd Llythyr 3 eleni"),
        .init(name: "letter3_date", isSection: false, en: "When Letter 3 was sent", cy: "Pryd anfonwyd Llythyr 3"),
        .init(
            name: "invitation_sent", isSection: true, en: "Shown when a meeting invitation was sent this year",
            cy: "Yn cael ei ddangos pan anfonwyd gwahoddiad i gyfarfod eleni"),
        .init(
            name: "invitation_date", isSection: false, en: "When the meeting invitation was sent",
            cy: "Pryd anfonwyd y gwahoddiad i gyfarfod"),
        .init(
            name: "call_recorded", isSection: true, en: "Shown when the phone call was recorded",
            cy: "Yn cael ei ddangos pan gofnodwyd yr alwad ffôn"),
        .init(
            name: "call_spoke", isSection: true, en: "Shown when the call reached a parent",
            cy: "Yn cael ei ddangos pan gyrhaeddodd yr alwad riant"),
        .init(
            name: "call_unreached", isSection: true,
            en: "Shown when the call was closed after attempts that reached nobody",
            cy: "Yn cael ei ddangos pan gaewyd yr alwad ar ôl ymdrechion na chyrhaeddodd neb"),
        .init(
            name: "call_attempts", isSection: false, en: "How many times the school tried to telephone",
            cy: "Sawl gwaith y ceisiodd yr ysgol ffonio"),
        .init(name: "call_date", isSection: false, en: "When the call was made", cy: "Pryd gwnaed yr alwad"),
        .init(name: "call_outcome", isSection: false, en: "What came of the call", cy: "Canlyniad yr alwad"),
        .init(
            name: "meeting_arranged", isSection: true, en: "Shown when an attendance meeting was arranged",
            cy: "Yn cael ei ddangos pan drefnwyd cyfarfod presenoldeb"),
        .init(
            name: "meeting_held_on", isSection: false, en: "The date the meeting was arranged for",
            cy: "Y dyddiad y trefnwyd y cyfarfod ar ei gyfer"),
        .init(name: "term_from", isSection: false, en: "First day of this term", cy: "Diwrnod cyntaf y tymor hwn"),
        .init(name: "term_to", isSection: false, en: "This term up to the letter", cy: "Y tymor hwn hyd at y llythyr"),
        .init(
            name: "penalty_unauthorised", isSection: true,
            en: "Shown when this term's unauthorised absence meets the penalty notice criterion",
            cy:
                "Yn cael ei ddangos pan fo absenoldeb heb ei awdurdodi y tymor hwn yn bodloni maen prawf yr hysbysiad cosb"
        ),
        .init(
            name: "term_unauthorised", isSection: false,
            en: "Unauthorised sessions this term (O, G and U; an N once it becomes O)",
            cy: "Sesiynau heb eu hawdurdodi y tymor hwn (O, G ac U; N unwaith y daw'n O)"),
        .init(
            name: "penalty_late", isSection: true,
            en: "Shown when lateness after the register closed meets the criterion",
            cy: "Yn cael ei ddangos pan fo cyrraedd ar ôl i'r gofrestr gau yn bodloni'r maen prawf"),
        .init(
            name: "term_late", isSection: false, en: "Arrivals after the register closed this term (U)",
            cy: "Cyrraedd ar ôl i'r gofrestr gau y tymor hwn (U)"),
        .init(
            name: "penalty_holiday", isSection: true, en: "Shown when holiday not agreed meets the criterion",
            cy: "Yn cael ei ddangos pan fo gwyliau heb eu cytuno yn bodloni'r maen prawf"),
        .init(
            name: "term_holiday", isSection: false, en: "Sessions of holiday not agreed this term (G)",
            cy: "Sesiynau o wyliau heb eu cytuno y tymor hwn (G)"),
        .init(
            name: "penalty_police", isSection: true,
            en: "Shown when contact with the police in school hours meets the criterion",
            cy: "Yn cael ei ddangos pan fo cysylltiad â'r heddlu yn ystod oriau ysgol yn bodloni'r maen prawf"),
        .init(
            name: "term_police", isSection: false,
            en: "Days this term seen by the police or a patrol while absent without authorisation",
            cy: "Diwrnodau y tymor hwn pan welwyd y disgybl gan yr heddlu neu batrôl tra'n absennol heb awdurdod"),
        .init(
            name: "penalty_engagement", isSection: true,
            en: "Shown when the parents' lack of engagement meets the criterion",
            cy: "Yn cael ei ddangos pan fo diffyg ymgysylltu gan y rhieni yn bodloni'r maen prawf"),
        .init(
            name: "term_missed_meetings", isSection: false, en: "Meetings and panels missed without notice this term",
            cy: "Cyfarfodydd a phaneli a gollwyd heb rybudd y tymor hwn"),
        .init(
            name: "term_unanswered", isSection: false,
            en: "The school's contact attempts this term that reached nobody",
            cy: "Ymdrechion yr ysgol i gysylltu y tymor hwn na chyrhaeddodd neb"),
        .init(
            name: "penalty_request_follows", isSection: true,
            en: "Shown when a criterion met needs no further absence before the request (term-time holiday)",
            cy: "Yn cael ei ddangos pan nad oes angen absenoldeb pellach cyn y cais (gwyliau yn ystod y tymor)"),
        .init(
            name: "penalty_request_on_further", isSection: true,
            en: "Shown when the request follows only on further unauthorised absence",
            cy: "Yn cael ei ddangos pan fydd y cais yn dilyn dim ond os bydd absenoldeb pellach heb ei awdurdodi"),
        .init(
            name: "esw_helpline", isSection: false, en: "The ESW service's helpline number",
            cy: "Rhif llinell gymorth y gwasanaeth GCA"),
    ]

    public static let names: Set<String> = Set(all.map(\.name))

    /// Names a template uses that are not placeholders, in order of first use. Partials and delimiter changes
    /// count as unknown: a template may only name documented values.
    public static func unknownNames(in template: String) -> [String] {
        var unknown: [String] = []
        for name in tagNames(in: template) where !names.contains(name) && name != "." && !unknown.contains(name) {
            unknown.append(name)
        }
        return unknown
    }

    /// The names inside `{{…}}` tags, with their sigils removed; comments are skipped.
    static func tagNames(in template: String) -> [String] {
        var result: [String] = []
        var rest = Substring(template)
        while let open = rest.range(of: "{{") {
            rest = rest[open.upperBound...]
            let triple = rest.hasPrefix("{")
            guard let close = rest.range(of: triple ? "}}}" : "}}") else {
                result.append("{{")
                break
            }
            var tag = rest[..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            rest = rest[close.upperBound...]
            if triple { tag.removeFirst() }
            if tag.hasPrefix("!") { continue }
            if let sigil = tag.first, "#^/&".contains(sigil) {
                tag = String(tag.dropFirst()).trimmingCharacters(in: .whitespaces)
            } else if let sigil = tag.first, ">=<$".contains(sigil) {
                result.append(tag)
                continue
            }
            result.append(tag.trimmingCharacters(in: .whitespaces))
        }
        return result
    }
}

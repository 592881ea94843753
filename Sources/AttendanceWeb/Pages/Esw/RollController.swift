import AttendanceCore
import AttendanceStore
import Foundation
import Vapor

/// Taking a pupil off a school's roll (the regulations' guard, from the pupil's page), the school's referral of a
/// child missing education, and the Education Lead's page of those enquiries.
enum RollController {
    /// The pupil's page, for the school's office and leaders: take the pupil off the roll with a ground, or refer
    /// them as missing education; with the pupil's enquiries so far.
    static func section(
        _ upn: UPN, school: LAESTAB, cases: [MissingEducationCase], saved: String?, text: @escaping PupilPage.Text
    ) -> RollSection {
        let plain = { (key: String) in text(key, [:]) }
        let values = ["laestab": school.description, "upn": upn.value]
        return RollSection(
            rollTitle: plain("roll.title"), rollNotice: saved.map { plain("roll.saved.\($0)") },
            cmeLines: cases.map { found in
                var line = text("cme.line", ["date": DateText.day(found.referredOn, text), "reason": found.reason])
                if let outcome = found.outcome {
                    line +=
                        " – " + plain("cme.outcome.\(outcome.rawValue)")
                        + (found.outcomeSchool.map { " (\($0))" } ?? "")
                } else {
                    line += " – " + plain("cme.open")
                }
                return line
            }, takeOffAction: SiteURL.takeOffRoll.path(values), groundLabel: plain("roll.ground"),
            grounds: RemovalGround.allCases.map {
                Option(value: $0.rawValue, label: plain("roll.ground.\($0.rawValue)"))
            },
            dayLabel: plain("roll.day"), newSchoolLabel: plain("roll.newSchool"), takeOff: plain("roll.takeOff"),
            referAction: cases.contains { $0.outcome == nil } ? nil : SiteURL.referMissingEducation.path(values),
            reasonLabel: plain("cme.reason"), refer: plain("cme.refer"))
    }

    @Sendable static func takeOff(_ request: Request) async throws -> Response {
        let (laestab, upn) = try request.schoolAndPupil()
        let form: RollForms.TakeOff
        do { form = try request.form(RollForms.TakeOff.self) } catch is FormRefusal {
            throw WebError.refused(.rollBadForm)
        }
        guard form.day <= request.context.today.adding(days: 28) else { throw WebError.refused(.rollBadForm) }
        try await request.context.store.roll.removeFromRoll(
            upn, school: laestab, on: form.day, ground: form.ground, newSchool: form.newSchool, by: request.actor)
        return Page.redirect(SiteURL.pupil(upn, fragment: "roll", query: ["roll": "removed"]))
    }

    @Sendable static func refer(_ request: Request) async throws -> Response {
        let (laestab, upn) = try await request.pupilOnSchoolRoll()
        let form: RollForms.Refer
        do { form = try request.form(RollForms.Refer.self) } catch is FormRefusal {
            throw WebError.refused(.cmeNeedReason)
        }
        _ = try await request.context.store.roll.referMissingEducation(
            upn, school: laestab, reason: form.reason, on: request.context.today, by: request.actor)
        return Page.redirect(SiteURL.pupil(upn, fragment: "roll", query: ["roll": "referred"]))
    }

    @Sendable static func cases(_ request: Request) async throws -> Response {
        let store = request.context.store
        let text = request.text
        let plain = { (key: String) in text(key, [:]) }
        let cases = try await store.roll.missingEducationCases()
        let pupils = try await store.reference.pupils(cases.map(\.upn))
        let names = try await request.names()
        let candidates = try await CandidateLine.make(
            try await store.roll.missingEducationCandidates(
                policy: request.context.policy, school: nil, today: request.context.today), request: request)
        let schools = try await request.schoolNames()
        // Files made for pupils whose new school is not known: the CME process's, until someone sends them on.
        let held = try await store.transfers.heldWithoutDestination().map { file in
            MissingEducationPage.HeldFile(
                name: file.pupilName, school: "\(schools[file.school] ?? "") (\(file.school))", file: file.fileName,
                made: DateText.moment(file.madeAt, text),
                download: SiteURL.school(.transferFile, file.school, id: file.id),
                transfers: SiteURL.school(.transfers, file.school) + "#held-heading")
        }
        return try Page.render(
            MissingEducationPage(
                title: plain("cme.title"), candidates: candidates, held: held, hasHeld: !held.isEmpty,
                notice: request.query[String.self, at: "saved"] != nil ? plain("esw.saved") : nil,
                cases: cases.map { found in
                    MissingEducationPage.Case(
                        id: found.id,
                        heading: "\(pupils[found.upn]?.displayName ?? found.upn.value), \(found.school)",
                        referred: text(
                            "cme.referred",
                            [
                                "date": DateText.day(found.referredOn, text),
                                "by": RecordWords.actor(found.referredBy, names: names, text: text),
                                "reason": found.reason,
                            ]),
                        enquiries: found.enquiries.map {
                            text(
                                "cme.enquiryLine",
                                [
                                    "on": DateText.day($0.on, text), "check": $0.check, "with": $0.with,
                                    "result": $0.result,
                                    "by": RecordWords.actor($0.by, names: names, text: text),
                                ])
                        },
                        outcome: found.outcome.map {
                            plain("cme.outcome.\($0.rawValue)") + (found.outcomeSchool.map { " (\($0))" } ?? "")
                        },
                        enquiryAction: found.outcome == nil ? SiteURL.cmeEnquiry.path(["id": String(found.id)]) : nil,
                        outcomeAction: found.outcome == nil ? SiteURL.cmeOutcome.path(["id": String(found.id)]) : nil)
                }, today: request.context.today.iso,
                outcomes: MissingEducationOutcome.allCases.map {
                    Option(value: $0.rawValue, label: plain("cme.outcome.\($0.rawValue)"))
                }, words: .init(text: text)), request: request)
    }

    @Sendable static func enquiry(_ request: Request) async throws -> Response {
        guard let id = request.parameters.get("id", as: Int.self) else { throw Abort(.notFound) }
        let form: RollForms.Enquiry
        do { form = try request.form(RollForms.Enquiry.self) } catch is FormRefusal {
            throw WebError.refused(.cmeBadEnquiry)
        }
        guard form.on <= request.context.today else { throw WebError.refused(.cmeBadEnquiry) }
        try await request.context.store.roll.logMissingEducationEnquiry(
            id, on: form.on, check: form.check, with: form.with, result: form.result, by: request.actor)
        return Page.redirect(SiteURL.missingEducation.path(query: ["saved": "1"]))
    }

    @Sendable static func outcome(_ request: Request) async throws -> Response {
        guard let id = request.parameters.get("id", as: Int.self) else { throw Abort(.notFound) }
        let form = try request.form(RollForms.Outcome.self)
        try await request.context.store.roll.completeMissingEducation(
            id, outcome: form.outcome, school: form.school, on: request.context.today, by: request.actor)
        return Page.redirect(SiteURL.missingEducation.path(query: ["saved": "1"]))
    }
}

/// The pupil page's part on leaving the roll.
struct RollSection: Sendable {
    let rollTitle: String
    let rollNotice: String?
    let cmeLines: [String]
    let takeOffAction: String
    let groundLabel: String
    let grounds: [Option]
    let dayLabel: String
    let newSchoolLabel: String
    let takeOff: String
    let referAction: String?
    let reasonLabel: String
    let refer: String
}

/// A pupil the record suggests may be missing education, as the office and the CME page list them: the pupil (to
/// their page's "Leaving the roll", where the school refers), the school, and each reason in words.
struct CandidateLine: Sendable {
    let name: String
    let href: String
    let school: String
    let reasons: [String]

    static func make(_ candidates: [MissingEducationCandidate], request: Request) async throws -> [CandidateLine] {
        let pupils = try await request.context.store.reference.pupils(candidates.map(\.upn))
        return candidates.map { candidate in
            CandidateLine(
                name: pupils[candidate.upn]?.displayName ?? candidate.upn.value,
                href: SiteURL.pupil(candidate.upn, fragment: "roll"), school: candidate.school.description,
                reasons: candidate.reasons.map { reason(request.text, $0) })
        }
    }

    static func reason(_ text: PupilPage.Text, _ reason: MissingEducationCandidate.Reason) -> String {
        let values: [String: String] =
            switch reason {
            case .longAbsence(let from, let days): ["from": DateText.day(from, text), "days": String(days)]
            case .extendedLeave(_, let dates, _):
                ["start": DateText.day(dates.start, text), "end": DateText.day(dates.end, text)]
            case .familyMoved(let on): ["on": DateText.day(on, text)]
            }
        return text("cme.candidate.\(reason.key)", values)
    }
}

/// The Education Lead's Children Missing Education enquiries: each referral, its enquiries, and its outcome.
struct MissingEducationPage: PageModel {
    static let template = "missing-education"

    /// A pupil's transfer file made with the new school unknown.
    struct HeldFile: Sendable {
        let name: String
        let school: String
        let file: String
        let made: String
        let download: String
        let transfers: String
    }

    struct Case: Sendable {
        let id: Int
        let heading: String
        let referred: String
        let enquiries: [String]
        let outcome: String?
        let enquiryAction: String?
        let outcomeAction: String?
    }

    struct Words: Sendable {
        let on: String
        let check: String
        let with: String
        let result: String
        let log: String
        let outcome: String
        let school: String
        let complete: String

        init(text: @escaping PupilPage.Text) {
            let plain = { (key: String) in text(key, [:]) }
            on = plain("cme.on")
            check = plain("cme.check")
            with = plain("cme.with")
            result = plain("cme.result")
            log = plain("cme.log")
            outcome = plain("cme.outcome")
            school = plain("cme.school")
            complete = plain("cme.complete")
        }
    }

    let title: String
    let candidates: [CandidateLine]
    let held: [HeldFile]
    let hasHeld: Bool
    let notice: String?
    let cases: [Case]
    let today: String
    let outcomes: [Option]
    let words: Words
}

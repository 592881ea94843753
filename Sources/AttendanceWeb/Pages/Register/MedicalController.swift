import AttendanceCore
import AttendanceStore
import Foundation
import Vapor

/// Continued medical absence after Letter 3: the referral to the Community Paediatrician, its outcome, and the
/// reintegration plans agreed after it, from the pupil's page (the school's office and leaders, and its ESW).
/// Refusals by `MedicalReferralRules` are said on the error page with the rule's words.
enum MedicalController {
    static func section(
        _ upn: UPN, school: LAESTAB, referrals: [PaediatricReferral], standing: MedicalReferralRules.Standing,
        sharePercent: Int, today: LocalDate, saved: Bool, names: [String: String], text: @escaping PupilPage.Text
    ) -> MedicalSection {
        let plain = { (key: String) in text(key, [:]) }
        let ours = referrals.filter { $0.school == school }
        let waiting = ours.contains { $0.outcome == nil }
        // The referral is offered only when the record allows it, by the rule the store checks.
        let allowed =
            (try? MedicalReferralRules.checkReferral(standing, sharePercent: sharePercent, waiting: waiting)) != nil
        var said = [
            standing.letter3On.map {
                text("medical.standing", ["date": DateText.day($0, text), "sessions": String(standing.sinceLetter3)])
            }
                ?? plain("medical.noLetter3")
        ]
        said.append(
            text(
                "medical.share",
                [
                    "sessions": String(standing.thisYear), "possible": String(standing.possible),
                    "percent": String(sharePercent),
                ]))
        return MedicalSection(
            medicalTitle: plain("medical.title"), medicalIntro: plain("medical.intro"),
            medicalNotice: saved ? plain("medical.saved") : nil,
            standing: said.joined(separator: " "),
            referrals: ours.map { referral in
                var line = text(
                    referral.letter3On == nil ? "medical.lineShare" : "medical.line",
                    [
                        "date": DateText.day(referral.referredOn, text),
                        "by": RecordWords.actor(referral.referredBy, names: names, text: text),
                        "reason": referral.reason, "letter3": referral.letter3On.map { DateText.day($0, text) } ?? "",
                        "sessions": String(referral.medicalSessions),
                    ])
                if let outcome = referral.outcome {
                    line +=
                        " "
                        + text(
                            "medical.outcomeLine",
                            [
                                "outcome": plain("medical.outcome.\(outcome.rawValue)"),
                                "date": referral.outcomeOn.map { DateText.day($0, text) } ?? "",
                                "note": referral.outcomeNote ?? "",
                            ])
                } else {
                    line += " " + plain("medical.waiting")
                }
                let values = ["laestab": school.description, "id": String(referral.id)]
                return MedicalSection.Referral(
                    id: referral.id, line: line,
                    plans: referral.plans.map { plan in
                        text(
                            "medical.planLine",
                            [
                                "start": DateText.day(plan.startsOn, text), "review": DateText.day(plan.reviewOn, text),
                                "arrangements": plan.arrangements, "with": plan.agreedWith,
                            ])
                    },
                    outcomeAction: referral.outcome == nil ? SiteURL.paediatricOutcome.path(values) : nil,
                    planAction: SiteURL.reintegrationPlan.path(values))
            },
            referAction: allowed ? SiteURL.schoolPupil(.paediatricReferral, school, upn) : nil,
            today: today.iso, words: MedicalSection.Words(text: text))
    }

    @Sendable static func refer(_ request: Request) async throws -> Response {
        let (laestab, upn) = try await request.pupilOnSchoolRoll()
        let form: MedicalForms.Refer
        do { form = try request.form(MedicalForms.Refer.self) } catch is FormRefusal {
            throw WebError.refused(.medicalNeedReason)
        }
        _ = try await request.context.store.medical.referToPaediatrician(
            upn, school: laestab, reason: form.reason, today: request.context.today,
            sharePercent: request.context.policy.casework.paediatricReferralPercent, by: request.actor)
        return Page.redirect(SiteURL.pupil(upn, fragment: "medical", query: ["medical": "saved"]))
    }

    @Sendable static func outcome(_ request: Request) async throws -> Response {
        let referral = try await target(request)
        let form = try request.form(MedicalForms.Outcome.self)
        _ = try await request.context.store.medical.recordPaediatricOutcome(
            referral.id, outcome: form.outcome, note: form.note, on: form.on, today: request.context.today,
            by: request.actor)
        return Page.redirect(SiteURL.pupil(referral.upn, fragment: "medical", query: ["medical": "saved"]))
    }

    @Sendable static func plan(_ request: Request) async throws -> Response {
        let referral = try await target(request)
        let form: MedicalForms.Plan
        do { form = try request.form(MedicalForms.Plan.self) } catch is FormRefusal {
            throw WebError.refused(.medicalBadPlan)
        }
        _ = try await request.context.store.medical.recordReintegrationPlan(
            referral: referral.id, startsOn: form.startsOn, reviewOn: form.reviewOn, arrangements: form.arrangements,
            agreedWith: form.agreedWith, by: request.actor)
        return Page.redirect(SiteURL.pupil(referral.upn, fragment: "medical", query: ["medical": "saved"]))
    }

    /// The referral named in the address, which must be the school's the permission was asked of.
    static func target(_ request: Request) async throws -> PaediatricReferral {
        guard case .school(let laestab) = request.target, let id = request.parameters.get("id", as: Int.self),
            let referral = try? await request.context.store.medical.requirePaediatricReferral(id),
            referral.school == laestab
        else { throw Abort(.notFound) }
        return referral
    }
}

/// The pupil page's "Community Paediatrician" section.
struct MedicalSection: Sendable {
    struct Referral: Sendable {
        let id: Int
        let line: String
        let plans: [String]
        let outcomeAction: String?
        let planAction: String
    }

    struct Words: Sendable {
        let reason: String
        let refer: String
        let outcome: String
        let outcomes: [Option]
        let on: String
        let note: String
        let recordOutcome: String
        let planTitle: String
        let startsOn: String
        let reviewOn: String
        let arrangements: String
        let agreedWith: String
        let recordPlan: String

        init(text: @escaping PupilPage.Text) {
            let plain = { (key: String) in text(key, [:]) }
            reason = plain("medical.reason")
            refer = plain("medical.refer")
            outcome = plain("medical.outcome")
            outcomes = PaediatricOutcome.allCases.map {
                Option(value: $0.rawValue, label: plain("medical.outcome.\($0.rawValue)"))
            }
            on = plain("medical.on")
            note = plain("medical.note")
            recordOutcome = plain("medical.recordOutcome")
            planTitle = plain("medical.planTitle")
            startsOn = plain("medical.startsOn")
            reviewOn = plain("medical.reviewOn")
            arrangements = plain("medical.arrangements")
            agreedWith = plain("medical.agreedWith")
            recordPlan = plain("medical.recordPlan")
        }
    }

    let medicalTitle: String
    let medicalIntro: String
    let medicalNotice: String?
    let standing: String
    let referrals: [Referral]
    let referAction: String?
    let today: String
    let words: Words
}

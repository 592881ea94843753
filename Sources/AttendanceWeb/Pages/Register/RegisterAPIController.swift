import AttendanceCore
import AttendanceInterop
import AttendanceStore
import Foundation
import Vapor

/// The register over JSON: read a register, save its marks (the same rules as the page), read a pupil's marks.
enum RegisterAPIController {
    struct RegisterDTO: Content {
        struct Line: Content {
            let upn: String
            let name: String
            let code: String?
            let minutesLate: Int?
            let recordedBy: String?
            let recordedAt: String?
            /// When the mark was made on the device that sent it, where the device held it before sending.
            let madeAt: String?

            enum CodingKeys: String, CodingKey {
                case upn, name, code
                case minutesLate = "minutes_late"
                case recordedBy = "recorded_by"
                case recordedAt = "recorded_at"
                case madeAt = "made_at"
            }
        }
        let school: String
        let group: String
        let date: String
        let session: String
        let opens: String
        let closes: String
        let pupils: [Line]
    }

    struct ResultDTO: Content {
        struct Problem: Content {
            let upn: String
            let error: String
        }
        struct Conflict: Content {
            let upn: String
            let session: String
            let wanted: String
            let current: String?
            let currentBy: String?

            enum CodingKeys: String, CodingKey {
                case upn, session, wanted, current
                case currentBy = "current_by"
            }
        }
        let inserted: Int
        let amended: Int
        let unchanged: Int
        let conflicts: [Conflict]
        let errors: [Problem]
        /// The save's key was received before: nothing was written this time.
        var repeated = false
    }

    @Sendable static func read(_ request: Request) async throws -> Response {
        let context = try await RegisterController.context(request)
        let times = context.school.school.times(for: context.session.half)
        let dto = RegisterDTO(
            school: context.school.school.laestab.description, group: context.group, date: context.session.date.iso,
            session: context.session.half.rawValue, opens: times.start.description, closes: times.close.description,
            pupils: context.lines.map {
                RegisterDTO.Line(
                    upn: $0.pupil.upn.value, name: $0.pupil.displayName, code: $0.mark?.mark.code,
                    minutesLate: $0.mark?.mark.minutesLate, recordedBy: $0.mark?.recordedBy,
                    recordedAt: $0.mark.map { Timestamp.text($0.recordedAt) },
                    madeAt: $0.mark?.madeOnDeviceAt.map(Timestamp.text))
            })
        return try APIController.json(dto)
    }

    @Sendable static func save(_ request: Request) async throws -> Response {
        let principal = try request.signedIn
        let context = try await RegisterController.context(request)
        guard context.calendar.isSchoolDay(context.session.date) else {
            throw WebError.refused(.notSchoolDay)
        }
        // The body's reader is the interop module's, fuzzed with the other readers of outside input.
        guard let data = request.body.data, let body = RegisterSaveBody.read(Data(data.readableBytesView)) else {
            throw WebError.badBody(
                shape:
                    "{\"marks\": [{\"upn\", \"code\", \"minutes_late\", \"expected\"}], \"reason\", \"save_key\", \"made_at\"}"
            )
        }
        let device = try DeviceSave.sent(
            key: body.saveKey, madeAt: body.madeAt, receivedAt: Date(), keyField: "save_key",
            madeAtField: "made_at", badTime: .refuse)
        let codes = request.context.store.codes
        let onRegister = Set(context.lines.map(\.pupil.upn.value))
        var problems: [ResultDTO.Problem] = []
        var choices: [UPN: RegisterController.Choice] = [:]
        let present = RegisterRules.presentCode(for: context.session.half, codes: codes)
        for entry in body.marks {
            guard onRegister.contains(entry.upn.uppercased()), let upn = try? UPN(entry.upn) else {
                problems.append(.init(upn: entry.upn, error: request.text("register.notOnRegister")))
                continue
            }
            // Two marks for one pupil in one save would leave one of them unsaid: name it rather than merge.
            guard choices[upn] == nil else {
                problems.append(.init(upn: entry.upn, error: request.text("register.twice")))
                continue
            }
            guard let code = codes[entry.code] else {
                problems.append(
                    .init(upn: entry.upn, error: request.text("register.unknownCode", ["code": entry.code])))
                continue
            }
            // Late codes are decided by the clock from the minutes, never taken as given.
            let kind =
                code.code == present.code
                ? "present"
                : code.isLate
                    ? "late"
                    : code.means(.noReasonYet) ? "absent" : "other"
            choices[upn] = RegisterController.Choice(
                kind: kind, minutes: entry.minutesLate.map(String.init), other: code.code, seen: entry.expected ?? "")
        }
        let (entries, errors, changesExisting, locked) = RegisterController.plan(
            context, choices: choices, principal: principal, request: request,
            evidenceMissing: try await RegisterController.evidenceMissing(request, context, choices: choices))
        problems += errors.map { .init(upn: $0.key.value, error: $0.value) }.sorted { $0.upn < $1.upn }
        let reason = (body.reason ?? "").trimmingCharacters(in: .whitespaces)
        if (changesExisting || (locked && !entries.isEmpty)) && reason.isEmpty {
            problems.append(.init(upn: "", error: request.text("register.needReason")))
        }
        guard problems.isEmpty else {
            let response = try APIController.json(
                ResultDTO(inserted: 0, amended: 0, unchanged: 0, conflicts: [], errors: problems))
            response.status = .unprocessableEntity
            return response
        }
        let result: MarkWriteResult
        do {
            result = try await request.context.store.registers.writeMarks(
                try await request.context.store.leave.applyingLeaveDecisions(entries), by: request.actor,
                reason: reason.isEmpty ? nil : locked ? RegisterLock.reason(reason) : reason, device: device)
        }
        let response = try APIController.json(
            ResultDTO(
                inserted: result.inserted, amended: result.amended, unchanged: result.unchanged,
                conflicts: result.conflicts.map {
                    .init(
                        upn: $0.upn.value, session: $0.session.description, wanted: $0.wanted, current: $0.current,
                        currentBy: $0.currentBy)
                }, errors: [], repeated: result.repeated))
        if !result.conflicts.isEmpty { response.status = .conflict }
        return response
    }

    @Sendable static func pupilMarks(_ request: Request) async throws -> Response {
        guard case .pupil(let placement) = request.target else { throw Abort(.notFound) }
        let (range, _) = try APIController.pupilRange(request, placement)
        let marks = try await request.context.store.registers.marks(of: placement.upn, in: range)
        struct MarkDTO: Content {
            let session: String
            let code: String
            let minutesLate: Int?

            enum CodingKeys: String, CodingKey {
                case session, code
                case minutesLate = "minutes_late"
            }
        }
        return try APIController.json(
            marks.map {
                MarkDTO(session: $0.mark.session.description, code: $0.mark.code, minutesLate: $0.mark.minutesLate)
            })
    }
}

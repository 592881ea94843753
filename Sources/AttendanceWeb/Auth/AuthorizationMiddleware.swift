import AttendanceAccounts
import AttendanceCore
import AttendanceStore
import Vapor

struct TargetStorageKey: StorageKey {
    typealias Value = AccessTarget
}

extension Request {
    /// The school or pupil the route's permission was checked against.
    var target: AccessTarget { storage[TargetStorageKey.self] ?? .none }
}

/// The one place access is decided: reads the route's declared rule, finds its target, asks the policy.
/// A route without a rule is refused. Forms are checked for their CSRF token.
struct AuthorizationMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let rule = request.route?.rule else {
            request.logger.error("route \(request.route?.description ?? "?") declares no permission; refused")
            throw Abort(.forbidden)
        }
        // An API call with no one signed in is refused as unauthenticated before anything else is asked of it (a
        // form's CSRF token means nothing to a token caller).
        if rule.permission != .anyone && request.principal == nil && request.isAPI {
            throw WebError.refused(.unauthorized)
        }
        if request.method != .GET && request.method != .HEAD {
            try await refuseNulBytes(request)
            if request.principal?.viaToken != true { try await checkCSRF(request) }
        }
        if rule.permission == .anyone { return try await next.respond(to: request) }
        guard let principal = request.principal else {
            if request.isAPI { throw WebError.refused(.unauthorized) }
            let next = request.url.path + (request.url.query.map { "?" + $0 } ?? "")
            return Page.redirect(SiteURL.signIn.path(query: ["next": next]))
        }
        if principal.user.mustChangePassword && !principal.viaToken && !rule.beforePasswordChange {
            return Page.redirect(SiteURL.password.path())
        }
        let target = try await resolve(rule.target, for: request, principal: principal)
        guard principal.allows(rule.permission, target) else {
            // The log says who and which route, never which pupil; the audit trail keeps the detail.
            request.logger.warning(
                "denied user \(principal.user.id) \(request.method) \(request.route?.description ?? "")")
            do {
                try await request.context.store.auditTrail.record(
                    AuditEvent(actor: request.actor, action: "access_denied", subject: request.url.path))
            } catch {
                // Still refused; the failed audit write is logged (by its type), not hidden.
                request.logger.error(
                    "auditing a refusal failed: \(String(reflecting: type(of: error)))")
            }
            throw Abort(.forbidden)
        }
        request.storage[TargetStorageKey.self] = target
        return try await next.respond(to: request)
    }

    private func resolve(_ kind: TargetKind, for request: Request, principal: Principal) async throws -> AccessTarget {
        switch kind {
        case .none:
            return .none
        case .school:
            guard let laestab = request.parameters.get("laestab").flatMap({ LAESTAB(text: $0) }) else {
                throw Abort(.notFound)
            }
            guard try await request.context.store.reference.school(laestab) != nil else {
                throw Abort(principal.allows(.viewAuthority, .none) ? .notFound : .forbidden)
            }
            return .school(laestab)
        case .registrationGroup:
            guard let laestab = request.parameters.get("laestab").flatMap({ LAESTAB(text: $0) }),
                let group = request.parameters.get("group"), !group.isEmpty
            else { throw Abort(.notFound) }
            guard let school = try await request.context.store.reference.school(laestab) else {
                throw Abort(principal.allows(.viewAuthority, .none) ? .notFound : .forbidden)
            }
            let date = request.parameters.get("date").flatMap { LocalDate(entered: $0) } ?? request.context.today
            // One session's register: its lines give the year groups, and the route reads them from here rather
            // than the group's roll a second time.
            if let half = request.parameters.get("session").flatMap({ SessionHalf(text: $0) }) {
                let lines = try await request.context.store.registers.registerLines(
                    school: school.school.laestab, group: group, session: SchoolSession(date, half))
                request.storage[RegisterLinesKey.self] = lines
                return .registrationGroup(
                    GroupPlacement(school: laestab, group: group, yearGroups: Set(lines.map(\.pupil.yearGroup))))
            }
            let years = try await request.context.store.registers.yearGroups(
                school: school.school.laestab, group: group, on: date)
            return .registrationGroup(GroupPlacement(school: laestab, group: group, yearGroups: years))
        case .pupil:
            guard let upn = request.parameters.get("upn").flatMap({ try? UPN($0) }),
                let stored = try await request.context.store.reference.pupil(upn)
            else {
                // Only someone who may see every pupil learns that a UPN does not exist.
                throw Abort(principal.allows(.viewAuthority, .none) ? .notFound : .forbidden)
            }
            return .pupil(stored.placement(on: request.context.today))
        case .leaveRequest:
            guard let id = request.parameters.get("request").flatMap({ LeaveRequestID($0) }),
                let leave = try await request.context.store.leave.leaveRequest(id)
            else {
                // Only someone who may see every school learns that a request does not exist.
                throw Abort(principal.allows(.viewAuthority, .none) ? .notFound : .forbidden)
            }
            return .school(leave.school)
        case .lesson:
            guard let laestab = request.parameters.get("laestab").flatMap({ LAESTAB(text: $0) }),
                let id = request.parameters.get("lesson").flatMap({ Int($0) })
            else { throw Abort(.notFound) }
            guard let date = request.parameters.get("date").flatMap({ LocalDate(entered: $0) }) else {
                throw WebError.refused(.registerBadDate)
            }
            guard try await request.context.store.reference.school(laestab) != nil,
                let found = try await request.context.store.lessons.lessonOfDay(school: laestab, id: id, on: date)
            else {
                // Only someone who may see every school learns that a lesson does not exist.
                throw Abort(principal.allows(.viewAuthority, .none) ? .notFound : .forbidden)
            }
            request.storage[LessonKey.self] = found
            return .lesson(LessonPlacement(school: laestab, teachers: found.lesson.teachers))
        }
    }

    /// No field of any form or JSON body may hold a NUL byte: nothing a person types has one, and text with one
    /// is cut short by some of what reads it later (letters, PDFs, exports). Checked on the body as sent, so it
    /// holds for every field of every route; each shared field's own check (`Fields`) says more.
    private func refuseNulBytes(_ request: Request) async throws {
        guard let body = try await request.body.collect(max: request.route?.rule?.bodyLimit ?? 1 << 20).get() else {
            return
        }
        let bytes = body.readableBytesView
        let percent = UInt8(ascii: "%"), zero = UInt8(ascii: "0"), backslash = UInt8(ascii: "\\")
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == 0 { throw InputError.controlCharacters(field: "body") }
            // `%00` in a form; `\u0000` in JSON.
            if byte == percent, bytes.distance(from: index, to: bytes.endIndex) >= 3,
                bytes[index + 1] == zero, bytes[index + 2] == zero
            {
                throw InputError.controlCharacters(field: "body")
            }
            if byte == backslash, bytes.distance(from: index, to: bytes.endIndex) >= 6,
                Array(bytes[(index + 1)..<(index + 6)]) == Array("u0000".utf8)
            {
                throw InputError.controlCharacters(field: "body")
            }
            index += 1
        }
    }

    private func checkCSRF(_ request: Request) async throws {
        // Route middleware runs before the route collects a streamed body: collect it here (the route then
        // finds it collected) so the token can be read from the form.
        _ = try await request.body.collect(max: request.route?.rule?.bodyLimit ?? 1 << 20).get()
        let sent = request.headers.first(name: "X-CSRF-Token") ?? (try? request.content.get(String.self, at: "csrf"))
        if request.route?.rule?.signInForm == true {
            guard SignInController.formIsOurs(request, sent: sent) else {
                throw WebError.refused(.csrf)
            }
            return
        }
        // Only read the session when there is one: reading it would not make a row, but there is nothing to check.
        guard request.hasSession, let expected = request.session.data["csrf"], let sent, !sent.isEmpty,
            Secrets.constantTimeEqual(sent, expected)
        else {
            throw WebError.refused(.csrf)
        }
    }
}

extension Request {
    /// JSON API requests get JSON errors and 401 rather than a redirect to the sign-in page.
    var isAPI: Bool {
        if url.path.hasPrefix("/api/") { return true }
        let accept = headers.first(name: .accept) ?? ""
        return accept.contains("application/json") && !accept.contains("text/html")
    }
}

extension StoredPupil {
    /// The pupil as the access policy sees them on a day.
    func placement(on date: LocalDate) -> PupilPlacement {
        PupilPlacement(
            upn: pupil.upn, enrolments: enrolments, yearGroup: pupil.yearGroup,
            registrationGroup: pupil.registrationGroup, asOf: date)
    }
}

extension Request {
    /// How much of a pupil's record the signed-in user sees today.
    func pupilView(_ placement: PupilPlacement) -> PupilView {
        principal.map { AccessPolicy.view($0.grants, placement) } ?? PupilView.none
    }

    /// Whether the signed-in user may work on the pupil at this school (produce letters, log contacts): the pupil
    /// is on its roll now and the user sees their whole record. A school the pupil has left only reads.
    func mayWorkOn(_ stored: StoredPupil, at school: LAESTAB) -> Bool {
        let placement = stored.placement(on: context.today)
        return placement.currentSchools.contains(school) && pupilView(placement) == .full
    }
}

/// The register lines the authorisation read for a session's register, passed on to the route.
struct RegisterLinesKey: StorageKey {
    typealias Value = [RegisterLine]
}

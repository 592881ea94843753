import AttendanceAccounts
import AttendanceCore
import AttendanceStore
import Vapor

/// Administrators' view of users: the education lead sees everyone, a head teacher their school's staff;
/// either may give a user a new temporary password.
enum UsersController {
    @Sendable static func page(_ request: Request) async throws -> Response {
        try await render(request, notice: nil)
    }

    static func render(
        _ request: Request, notice: String?, error: String? = nil, typed: (email: String, name: String) = ("", ""),
        status: HTTPStatus = .ok
    ) async throws -> Response {
        let principal = try request.signedIn
        let store = request.context.store
        let users = try await store.identity.users().filter {
            $0.id != principal.user.id && AccessPolicy.mayManage(principal.grants, user: $0.grants)
        }
        var accounts: [UsersPage.Account] = []
        for user in users {
            let liveTokens = try await store.identity.tokens(userID: user.id).filter { $0.revokedAt == nil }
            // The head names who decides authorised absence in their stead (senior management, the office).
            let delegated = delegableSchool(principal, user).map { school in
                user.grants.contains { $0.school == school && $0.authorisesAbsence }
            }
            // The Education Lead names senior ESWs, who allocate their schools' referrals.
            let senior =
                mayNameSenior(principal, user)
                ? user.grants.contains { $0.role == .educationSocialWorker && $0.allocatesReferrals } : nil
            let texts = try await RoleText.describe(user.grants, request: request)
            accounts.append(
                UsersPage.Account(
                    user: user,
                    roles: zip(user.grants, texts).map { grant, text in
                        (grant, text, AccessPolicy.mayGrant(principal.grants, grant))
                    }, liveTokens: liveTokens.count, delegated: delegated, senior: senior))
        }
        let lead = principal.grants.contains { $0.role == .educationLead }
        let names = try await request.schoolNames()
        let heads = Set(principal.grants.filter { $0.role == .headTeacher }.compactMap(\.school)).sorted()
        let page = UsersPage.make(
            accounts: accounts, grantable: lead ? Role.allCases.filter { $0 != .mentor } : AccessPolicy.schoolRoles,
            schools: lead ? nil : heads.map { ($0, names[$0] ?? "") }, notice: notice, error: error, typed: typed,
            now: Date(), text: request.text)
        return try Page.render(page, request: request, status: status)
    }

    /// The role a form gives (`GrantForm`), checked against what the person giving it may give.
    static func grant(from form: GrantForm, _ request: Request) throws -> RoleGrant {
        let (role, school, child) = (form.role, form.school, form.child)
        func list(_ text: String) -> [String] {
            text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        let grant = RoleGrant(
            role: role, school: role.needsSchool ? school : nil,
            yearGroups: role == .headOfYear ? list(form.years) : [],
            registrationGroups: role == .formTutor ? list(form.groups) : [], child: role == .parent ? child : nil)
        guard AccessPolicy.mayGrant(try request.signedIn.grants, grant) else { throw Abort(.forbidden) }
        do { try grant.validate() } catch { throw StoreError.badGrant(error) }
        return grant
    }

    /// The form's label for each field a grant or a name is read from.
    static let labels = [
        "role": "users.role", "school": "users.school", "child": "users.child", "name": "users.displayName",
    ]

    /// Runs a change from the page; a refusal redraws the page with its sentence and what was typed.
    static func change(
        _ request: Request, typed: (email: String, name: String) = ("", ""), _ work: () async throws -> String
    ) async throws -> Response {
        do {
            return try await render(request, notice: try await work())
        } catch let error as StoreError {
            let (status, key, detail) = PageErrorMiddleware.describe(error)
            guard status.code < 500 else { throw error }
            return try await render(
                request, notice: nil, error: request.text(key) + (detail.map { " (\($0))" } ?? ""), typed: typed,
                status: status)
        } catch let error as WebError {
            guard case .badField = error else { throw error }
            // The form's own label for the field, and what was typed where it helps to see it again.
            let detail = error.words { request.text($0, $1) }.detail ?? ""
            return try await render(
                request, notice: nil, error: request.text("users.check", ["field": detail]), typed: typed,
                status: .unprocessableEntity)
        }
    }

    /// Adds a user with a role and a temporary password, shown once, which they change when they first sign in.
    @Sendable static func create(_ request: Request) async throws -> Response {
        let form = try request.form(NewUserForm.self)
        let (email, name) = (form.email, form.name)
        return try await change(request, typed: (email, name)) {
            guard !name.isEmpty, name.count <= 100 else {
                throw WebError.badField("name", .missingOrInvalid, label: "users.displayName")
            }
            let grant = try grant(from: try form.grant(), request)
            if let school = grant.school { _ = try await request.context.store.reference.requireSchool(school) }
            let password = Secrets.temporaryPassword()
            try await request.context.store.identity.createUser(
                email: email, displayName: name, passwordHash: try request.context.passwords.hash(password),
                mustChangePassword: true, grants: [grant], by: request.actor)
            return request.text("users.created", ["email": email.lowercased(), "password": password])
        }
    }

    /// Gives a user another role.
    @Sendable static func addRole(_ request: Request) async throws -> Response {
        let user = try await managed(request)
        let form = try request.form(GrantFormSent.self)
        return try await change(request) {
            let grant = try grant(from: try form.grant(), request)
            if let school = grant.school { _ = try await request.context.store.reference.requireSchool(school) }
            try await request.context.store.identity.addGrant(grant, toUser: user.email, by: request.actor)
            return request.text("users.roleAdded", ["name": user.displayName])
        }
    }

    /// Takes a role away from a user (never their last: deactivating the account is the way to end it).
    @Sendable static func removeRole(_ request: Request) async throws -> Response {
        let user = try await managed(request)
        let form = try request.form(GrantNamed.self)
        let principal = try request.signedIn
        guard
            let grant = user.grants.first(where: {
                $0.role.rawValue == form.role && ($0.school?.description ?? "") == form.school
                    && ($0.child?.value ?? "") == form.child
            })
        else { throw Abort(.notFound) }
        guard AccessPolicy.mayGrant(principal.grants, grant) else { throw Abort(.forbidden) }
        return try await change(request) {
            try await request.context.store.identity.removeGrant(grant, fromUser: user.id, by: request.actor)
            return request.text("users.roleRemoved", ["name": user.displayName])
        }
    }

    /// The user a form names, if the signed-in administrator may manage them (never themselves).
    static func managed(_ request: Request) async throws -> UserAccount {
        let principal = try request.signedIn
        guard let id = request.parameters.get("id", as: Int.self),
            let user = try await request.context.store.identity.user(id: id),
            user.id != principal.user.id
        else { throw Abort(.notFound) }
        guard AccessPolicy.mayManage(principal.grants, user: user.grants) else { throw Abort(.forbidden) }
        return user
    }

    /// Ends every API token of the user at once (a lost laptop, a script that should stop).
    @Sendable static func revokeTokens(_ request: Request) async throws -> Response {
        let user = try await managed(request)
        try await request.context.store.identity.revokeAllTokens(userID: user.id, by: request.actor)
        return try await render(request, notice: request.text("users.tokensRevoked", ["name": user.displayName]))
    }

    /// The school at which the signed-in head teacher may name this user to authorise absence, if any.
    static func delegableSchool(_ principal: Principal, _ user: UserAccount) -> LAESTAB? {
        let heads = Set(principal.grants.filter { $0.role == .headTeacher }.compactMap(\.school))
        return user.grants.first {
            [.seniorManagement, .attendanceAdministrator].contains($0.role) && $0.school.map(heads.contains) == true
        }?.school
    }

    /// Whether the reader is the Education Lead and the user an education social worker, whom the lead may name
    /// as a senior ESW.
    static func mayNameSenior(_ principal: Principal, _ user: UserAccount) -> Bool {
        principal.grants.contains { $0.role == .educationLead }
            && user.grants.contains { $0.role == .educationSocialWorker }
    }

    /// The head names (or stops naming) a member of staff to decide whether absence is authorised; the Education
    /// Lead names (or stops naming) an ESW as senior, to allocate referrals.
    @Sendable static func delegate(_ request: Request) async throws -> Response {
        let user = try await managed(request)
        let on = (try? request.content.get(String.self, at: "on")) == "1"
        if mayNameSenior(try request.signedIn, user) {
            try await request.context.store.identity.setSeniorEsw(userID: user.id, senior: on, by: request.actor)
            return try await render(
                request,
                notice: request.text(on ? "users.seniorNotice" : "users.unseniorNotice", ["name": user.displayName])
            )
        }
        guard let school = delegableSchool(try request.signedIn, user) else { throw Abort(.forbidden) }
        try await request.context.store.identity.setAbsenceDelegate(
            userID: user.id, school: school, delegate: on, by: request.actor)
        return try await render(
            request,
            notice: request.text(on ? "users.delegatedNotice" : "users.undelegatedNotice", ["name": user.displayName]))
    }

    /// Deactivates the user: every session and token ends now; a reset restores them later.
    @Sendable static func deactivate(_ request: Request) async throws -> Response {
        let user = try await managed(request)
        try await request.context.store.identity.deactivateUser(userID: user.id, by: request.actor)
        return try await render(request, notice: request.text("users.deactivatedNotice", ["name": user.displayName]))
    }

    @Sendable static func reset(_ request: Request) async throws -> Response {
        let store = request.context.store
        let user = try await managed(request)
        let password = Secrets.temporaryPassword()
        try await store.identity.setPassword(
            userID: user.id, passwordHash: try request.context.passwords.hash(password), mustChange: true,
            by: request.actor)
        return try await render(
            request, notice: request.text("users.newPassword", ["email": user.email, "password": password]))
    }
}

/// A role as the users page's forms give it: its role, and the school, years, forms or child it is for. Read
/// when the form is used (`GrantFormSent.grant()`), so a refusal is said on the page with what was typed.
struct GrantForm {
    let role: Role
    let school: LAESTAB?
    let child: UPN?
    let years: String
    let groups: String

    init(_ fields: FormFields) throws {
        guard let role = Role(rawValue: fields.raw("role")) else {
            throw WebError.badField("role", .missingOrInvalid, label: "users.role")
        }
        self.role = role
        let schoolText = fields.raw("school")
        if schoolText.isEmpty {
            school = nil
        } else {
            guard let laestab = LAESTAB(text: schoolText) else {
                throw WebError.badField("school", .notRecognised(schoolText), label: "users.school")
            }
            school = laestab
        }
        let childText = fields.raw("child")
        if childText.isEmpty {
            child = nil
        } else {
            guard let upn = try? UPN(childText) else {
                throw WebError.badField("child", .notRecognised(childText), label: "users.child")
            }
            child = upn
        }
        years = fields.raw("years")
        groups = fields.raw("groups")
    }
}

/// A form that gives a role: the fields as sent, read into a `GrantForm` when the page is ready to say a refusal.
struct GrantFormSent: Form {
    let fields: FormFields
    init(_ fields: FormFields) throws { self.fields = fields }
    func grant() throws -> GrantForm { try GrantForm(fields) }
}

/// A new user: their email and name as typed, and their first role.
struct NewUserForm: Form {
    let email: String
    let name: String
    let fields: FormFields

    init(_ fields: FormFields) throws {
        email = fields.raw("email")
        name = fields.raw("name")
        self.fields = fields
    }

    func grant() throws -> GrantForm { try GrantForm(fields) }
}

/// A role named for removal, as the user's page lists it.
struct GrantNamed: Form {
    let role: String
    let school: String
    let child: String

    init(_ fields: FormFields) throws {
        role = fields.sent("role") ?? ""
        school = fields.sent("school") ?? ""
        child = fields.sent("child") ?? ""
    }
}

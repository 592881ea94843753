import ArgumentParser
import AttendanceAccounts
import AttendanceCore
import AttendanceStore
import AttendanceWeb
import Foundation

extension Role: ExpressibleByArgument {}

struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users", abstract: "Add and list users, reset passwords, make API tokens, and deactivate users.",
        subcommands: [AddUser.self, ListUsers.self, ResetPassword.self, MakeToken.self, DeactivateUser.self])
}

struct AddUser: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add a user with a role, or add a role to an existing user.",
        discussion: """
            A new user gets a temporary password, printed once, which they must change when they first sign in. \
            Roles: \(Role.allCases.map(\.rawValue).joined(separator: ", ")).
            """)

    @Option(help: "Email address (the sign-in name).") var email: String
    @Option(help: "Role.") var role: Role
    @Option(help: "Display name (default: the email).") var name: String?
    @Option(help: ArgumentHelp("The school, for every role but education_lead and parent.", valueName: "LAESTAB"))
    var school: String?
    @Option(help: ArgumentHelp("Year groups, for a head_of_year.", valueName: "7,8")) var years: String?
    @Option(help: ArgumentHelp("Registration groups, for a form_tutor.", valueName: "7A,7B")) var groups: String?
    @Option(name: .customLong("parent-of"), help: ArgumentHelp("The child's UPN, for a parent.", valueName: "UPN"))
    var parentOf: String?
    @OptionGroup var db: DatabaseOptions

    func grant() throws -> RoleGrant {
        func list(_ text: String?) -> [String] {
            (text ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        var child: UPN? = nil
        if let parentOf {
            do { child = try UPN(parentOf) } catch {
                throw ValidationError("--parent-of: '\(parentOf)' is not a valid UPN: \(error)")
            }
        }
        let grant = RoleGrant(
            role: role, school: try parseSchool(school), yearGroups: list(years), registrationGroups: list(groups),
            child: child)
        do { try grant.validate() } catch { throw ValidationError("\(error)") }
        return grant
    }

    func validate() throws { _ = try grant() }

    func run() async throws {
        let settings = try Settings(db)
        let grant = try grant()
        do {
            try await settings.withStore { store in
                if try await store.identity.user(email: email) != nil {
                    try await store.identity.addGrant(grant, toUser: email, by: settings.actor)
                    print("Added \(grant.recorded) to \(email.lowercased()).")
                    return
                }
                let password = Secrets.temporaryPassword()
                try await store.identity.createUser(
                    email: email, displayName: name ?? email, passwordHash: try Passwords.standard.hash(password),
                    mustChangePassword: true, grants: [grant], by: settings.actor)
                print("Added \(email.lowercased()) as \(grant.recorded).")
                print("Temporary password (shown once; to be changed at first sign-in): \(password)")
            }
        } catch let error as StoreError {
            printError("\(error)")
            throw ExitCode.failure
        }
    }
}

struct ListUsers: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List users and their roles.")

    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        let settings = try Settings(db)
        let users = try await settings.withStore { try await $0.identity.users() }
        for user in users {
            var flags: [String] = []
            if !user.isActive { flags.append("deactivated") }
            if user.mustChangePassword { flags.append("temporary password") }
            if let until = user.lockedUntil, until > Date() { flags.append("waiting after failed sign-ins") }
            print("\(user.email)  \(user.displayName)\(flags.isEmpty ? "" : "  [\(flags.joined(separator: ", "))]")")
            for grant in user.grants { print("    \(grant.recorded)") }
        }
        if users.isEmpty { print("No users yet. Add one with: attendance users add --email E --role ROLE") }
    }
}

struct ResetPassword: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset-password",
        abstract:
            "Give a user a new temporary password, to be changed at their next sign-in; ends their sessions and tokens."
    )

    @Option(help: "The user's email address.") var email: String
    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        let settings = try Settings(db)
        try await withUser(email, settings) { store, user in
            let password = Secrets.temporaryPassword()
            try await store.identity.setPassword(
                userID: user.id, passwordHash: try Passwords.standard.hash(password), mustChange: true,
                by: settings.actor)
            print("New temporary password for \(user.email) (shown once): \(password)")
        }
    }
}

struct DeactivateUser: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deactivate",
        abstract: "End every session and API token of a user and keep them out until their password is reset.")

    @Option(help: "The user's email address.") var email: String
    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        let settings = try Settings(db)
        try await withUser(email, settings) { store, user in
            try await store.identity.deactivateUser(userID: user.id, by: settings.actor)
            print("\(user.email) is deactivated; `attendance users reset-password` restores the account.")
        }
    }
}

/// Runs `body` with the user named by email; an unknown user or a refusal is printed and exits 1.
struct MakeToken: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Make an API token for a user (an authority's scripts), printed once; audited.",
        discussion: """
            The token carries the user's roles and scope, as one made on the 'Your account' page does. It is \
            kept only as a digest: copy it now. Revoke it on the account page, or end all of a user's tokens with \
            reset-password.
            """)

    @Option(help: "The user's email address.") var email: String
    @Option(help: "What the token is for (default: command line).") var name: String?
    @OptionGroup var db: DatabaseOptions

    func validate() throws {
        if let name, name.trimmingCharacters(in: .whitespaces).isEmpty || name.count > 100 {
            throw ValidationError("--name: 1 to 100 characters")
        }
    }

    func run() async throws {
        let settings = try Settings(db)
        try await withUser(email, settings) { store, user in
            guard user.isActive else {
                printError("\(user.email) is deactivated: no token is made")
                throw ExitCode.failure
            }
            let token = "att_" + Secrets.randomToken()
            try await store.identity.createToken(
                userID: user.id, name: name ?? "command line", tokenHash: Secrets.digest(token), by: settings.actor)
            print("New API token for \(user.email) (shown once): \(token)")
        }
    }
}

func withUser(
    _ email: String, _ settings: Settings, _ body: (Store, UserAccount) async throws -> Void
) async throws {
    do {
        try await settings.withStore { store in
            guard let user = try await store.identity.user(email: email) else {
                throw StoreError.notFound("user \(email)")
            }
            try await body(store, user)
        }
    } catch let error as StoreError {
        printError("\(error)")
        throw ExitCode.failure
    }
}

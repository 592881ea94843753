import AttendanceAccounts
import AttendanceCore
import AttendanceStore
import Foundation

/// One account per role for the demo authority. The passwords are not secret: the sign-in page shows
/// them, and only in demo mode.
public enum DemoAccounts {
    public struct Account: Sendable {
        public let role: Role
        public let email: String
        public let password: String
        public let displayName: String
    }

    public static let all: [Account] = [
        (Role.educationLead, "lead", "Eleri Lewis"), (.educationSocialWorker, "esw", "Gwyn Roberts"),
        (.headTeacher, "head", "Mair Hughes"), (.seniorManagement, "smt", "Owain Price"),
        (.attendanceAdministrator, "office", "Carys Ellis"), (.headOfYear, "hoy", "Dafydd Morgan"),
        (.formTutor, "tutor", "Sioned Parry"), (.teacher, "teacher", "Huw Jenkins"),
        (.governor, "governor", "Alun Vaughan"),
        (.schoolImprovementAdviser, "adviser", "Nia Pritchard"),
        (.parent, "parent", "Rhian Jones"), (.mentor, "mentor", "Llinos Evans"), (.patrol, "patrol", "Rhys Thomas"),
    ].map { Account(role: $0.0, email: "\($0.1)@demo.example", password: "demo-\($0.1)", displayName: $0.2) }

    /// Creates the accounts, scoped to the demo's first secondary school (the education social worker also
    /// covers the next school; the parent is linked to the first pupil in the tutor's form). Skips any that exist.
    public static func create(in store: Store, today: LocalDate, passwords: Passwords = .standard) async throws {
        let schools = try await store.reference.schools()
        guard let main = schools.first(where: { $0.school.phase == .secondary }) ?? schools.first else { return }
        let other = schools.first { $0.school.laestab != main.school.laestab }
        let roll = try await store.reference.roll(of: main.school.laestab, in: DateRange.yearToDate(today))
            .filter { $0.onRoll.end >= today.adding(days: -7) }
        guard let firstPupil = roll.first else { return }
        let years = Array(Set(roll.map(\.pupil.yearGroup))).sorted { (Int($0) ?? 99) < (Int($1) ?? 99) }
        let form = firstPupil.pupil.registrationGroup
        let laestab = main.school.laestab
        for account in all where try await store.identity.user(email: account.email) == nil {
            var grants: [RoleGrant]
            switch account.role {
            case .educationLead: grants = [RoleGrant(role: .educationLead)]
            case .patrol: grants = [RoleGrant(role: .patrol)]
            case .educationSocialWorker, .schoolImprovementAdviser:
                grants = [RoleGrant(role: account.role, school: laestab)]
                if let other { grants.append(RoleGrant(role: account.role, school: other.school.laestab)) }
            case .headOfYear:
                grants = [RoleGrant(role: .headOfYear, school: laestab, yearGroups: Array(years.prefix(2)))]
            case .formTutor: grants = [RoleGrant(role: .formTutor, school: laestab, registrationGroups: [form])]
            case .parent: grants = [RoleGrant(role: .parent, child: firstPupil.pupil.upn)]
            // A member of staff mentoring the tutor's first pupil (the mentoring itself is started below).
            case .mentor: grants = [RoleGrant(role: .mentor, school: laestab, child: firstPupil.pupil.upn)]
            default: grants = [RoleGrant(role: account.role, school: laestab)]
            }
            // The parent is one of the child's contacts, named as the school's records name them.
            var displayName = account.displayName
            if account.role == .parent,
                let contact = try await store.contacts.contacts(of: firstPupil.pupil.upn).min(by: {
                    $0.priority < $1.priority
                })
            {
                displayName = contact.name
            }
            try await store.identity.createUser(
                email: account.email, displayName: displayName,
                passwordHash: try passwords.hash(account.password), mustChangePassword: false, grants: grants,
                by: AuditActor("demo"))
            if account.role == .mentor,
                let draft = try? Intervention.Draft(
                    kind: .mentoring, title: "", leader: account.email, pupils: [firstPupil.pupil.upn],
                    start: today.adding(days: -21), end: nil, notes: "", today: today)
            {
                try await store.interventions.start(draft, school: laestab, today: today, by: AuditActor("demo"))
            }
        }
    }

    /// The lines `serve --demo` and `demo` print.
    public static var listing: String {
        all.map {
            "  \($0.role.rawValue.padding(toLength: 26, withPad: " ", startingAt: 0)) \($0.email)  password: \($0.password)"
        }
        .joined(separator: "\n")
    }
}

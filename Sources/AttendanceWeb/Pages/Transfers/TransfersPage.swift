/// A school's transfer files: the upload form, what a file just imported brought, the admissions waiting for the
/// office, and the files imported.
struct TransfersPage: PageModel {
    static let template = "transfers"

    struct Imported: Sendable {
        let line: String
        /// A sentence a year whose marks and totals disagree.
        let disagreements: [String]
        let unread: [String]
        let hasDisagreements: Bool
        let hasUnread: Bool

        init(line: String, disagreements: [String], unread: [String]) {
            (self.line, self.disagreements, self.unread) = (line, disagreements, unread)
            (hasDisagreements, hasUnread) = (!disagreements.isEmpty, !unread.isEmpty)
        }
    }

    struct Admission: Sendable {
        let id: String
        let name: String
        let upn: String
        let born: String
        let year: String
        let from: String
        let file: String
        /// Absent for someone who may see the list but not admit (the education lead).
        let action: String?
    }

    /// A file made when a pupil left, waiting to be sent.
    struct Held: Sendable {
        let name: String
        let href: String
        let file: String
        let to: String
        let made: String
        let download: String
        let sent: String
    }

    struct File: Sendable {
        let name: String
        let from: String
        let pupils: String
        let by: String
        let when: String
    }

    let title: String
    let uploadAction: String
    let error: String?
    let imported: Imported?
    let notice: String?
    let held: [Held]
    let hasHeld: Bool
    let admissions: [Admission]
    let today: String
    let groups: [String]
    let files: [File]
    let hasAdmissions: Bool
    let hasFiles: Bool

    init(
        title: String, uploadAction: String, error: String?, imported: Imported?, notice: String?, held: [Held],
        admissions: [Admission], today: String, groups: [String], files: [File]
    ) {
        (self.title, self.uploadAction, self.error, self.imported, self.notice) =
            (title, uploadAction, error, imported, notice)
        (self.held, hasHeld) = (held, !held.isEmpty)
        (self.admissions, self.today, self.groups, self.files) = (admissions, today, groups, files)
        (hasAdmissions, hasFiles) = (!admissions.isEmpty, !files.isEmpty)
    }
}

/// On the pupil's page: their years at other schools that transfer files brought, beside (never in) this school's
/// figures, and the action that makes their file for the next school.
struct PupilTransfers: Sendable {
    struct Year: Sendable {
        let school: String
        let year: String
        let possible: String
        let attended: String
        let authorised: String
        let unauthorised: String
        let attendance: String
        /// "From its marks" or "The school's totals", with a disagreement said.
        let basis: String
    }

    let years: [Year]
    let hasYears: Bool
    let makeAction: String?
    let destination: String

    init(years: [Year], makeAction: String?, destination: String) {
        (self.years, hasYears, self.makeAction, self.destination) = (years, !years.isEmpty, makeAction, destination)
    }
}

import AttendanceCore
import Foundation

/// A summary as reports and the API write it: snake_case keys, the counts and the derived figures.
/// Every figure comes from `AttendanceSummary`; this type only names and formats them.
public struct SummaryRow: Encodable, Sendable, Equatable {
    public let upn: String
    public let surname: String
    public let forename: String
    public let yearGroup: String
    public let registrationGroup: String
    public let from: String
    public let to: String
    public let possible: Int
    public let attended: Int
    public let present: Int
    public let approvedActivity: Int
    public let authorised: Int
    public let unauthorised: Int
    public let lateBeforeClose: Int
    public let lateAfterClose: Int
    public let attendancePercent: Double?
    public let band: String?
    public let persistentAbsence: Bool

    public init(pupil: Pupil, range: DateRange, summary: AttendanceSummary) {
        upn = pupil.upn.value
        surname = pupil.legalSurname
        forename = pupil.legalForename
        yearGroup = pupil.yearGroup
        registrationGroup = pupil.registrationGroup
        from = range.start.iso
        to = range.end.iso
        possible = summary.possible
        attended = summary.attended
        present = summary.present
        approvedActivity = summary.approvedActivity
        authorised = summary.authorised
        unauthorised = summary.unauthorised
        lateBeforeClose = summary.lateBeforeClose
        lateAfterClose = summary.lateAfterClose
        attendancePercent = summary.attendancePercent
        band = summary.band?.rawValue
        persistentAbsence = summary.persistentAbsence
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case upn, surname, forename
        case yearGroup = "year_group"
        case registrationGroup = "registration_group"
        case from, to, possible, attended, present
        case approvedActivity = "approved_activity"
        case authorised, unauthorised
        case lateBeforeClose = "late_before_close"
        case lateAfterClose = "late_after_close"
        case attendancePercent = "attendance_percent"
        case band
        case persistentAbsence = "persistent_absence"
    }

    /// Keeps `attendance_percent` and `band` as explicit nulls when nothing was possible.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(upn, forKey: .upn)
        try c.encode(surname, forKey: .surname)
        try c.encode(forename, forKey: .forename)
        try c.encode(yearGroup, forKey: .yearGroup)
        try c.encode(registrationGroup, forKey: .registrationGroup)
        try c.encode(from, forKey: .from)
        try c.encode(to, forKey: .to)
        try c.encode(possible, forKey: .possible)
        try c.encode(attended, forKey: .attended)
        try c.encode(present, forKey: .present)
        try c.encode(approvedActivity, forKey: .approvedActivity)
        try c.encode(authorised, forKey: .authorised)
        try c.encode(unauthorised, forKey: .unauthorised)
        try c.encode(lateBeforeClose, forKey: .lateBeforeClose)
        try c.encode(lateAfterClose, forKey: .lateAfterClose)
        try c.encode(attendancePercent, forKey: .attendancePercent)
        try c.encode(band, forKey: .band)
        try c.encode(persistentAbsence, forKey: .persistentAbsence)
    }

    public static var csvHeader: String { CSV.line(CodingKeys.allCases.map(\.rawValue)) }

    public var csvLine: String {
        CSV.line([
            upn, surname, forename, yearGroup, registrationGroup, from, to, String(possible), String(attended),
            String(present), String(approvedActivity), String(authorised), String(unauthorised),
            String(lateBeforeClose), String(lateAfterClose), attendancePercent.map { String(format: "%.1f", $0) } ?? "",
            band ?? "", persistentAbsence ? "true" : "false",
        ])
    }
}

import AttendanceCore
import AttendanceInterop
import Foundation

extension RegisterRepository {
    /// A Common Transfer File for pupils of a school (issue 36, point 2): each pupil as the record holds them,
    /// their contacts, and every school year of their time on this school's roll as `YearData` (totals from the one
    /// summary, the marks day by day) and the years at other schools that files brought. The destination may be
    /// unknown. Audited as made.
    public func commonTransferFile(
        from laestab: LAESTAB, to destination: LAESTAB?, pupils upns: [UPN], today: LocalDate, dateTime: String,
        by actor: AuditActor
    ) async throws -> CommonTransferFile {
        let file = try await transferFile(
            from: laestab, to: destination, pupils: upns, today: today, dateTime: dateTime)
        try await store.auditTrail.record(Self.made(file, school: laestab, by: actor))
        return file
    }

    /// The audit line of a file made.
    static func made(_ file: CommonTransferFile, school: LAESTAB, by actor: AuditActor, at now: Date = Date())
        -> AuditEvent
    {
        AuditEvent(
            at: now, actor: actor, action: "ctf.made", school: school,
            upn: file.pupils.count == 1 ? file.pupils[0].upn : nil,
            subject: file.fileName,
            after: auditJSON([
                "pupils": String(file.pupils.count), "to": file.header.destination?.laestab.description,
            ]))
    }

    /// The file itself, unaudited: the caller records it as made (the roll removal does so in its transaction).
    func transferFile(
        from laestab: LAESTAB, to destination: LAESTAB?, pupils upns: [UPN], today: LocalDate, dateTime: String
    ) async throws -> CommonTransferFile {
        let school = try await store.reference.requireSchool(laestab).school
        let source = CommonTransferFile.School(la: school.laNumber, estab: school.estabNumber, name: school.name)
        var target: CommonTransferFile.School?
        if let destination {
            let name = try await store.reference.school(destination)?.school.name ?? ""
            target = CommonTransferFile.School(la: destination.la, estab: destination.estab, name: name)
        }
        var years: [AcademicYear: [UPN: RollYear]] = [:]
        var pupils: [CommonTransferFile.Pupil] = []
        for upn in upns {
            let stored = try await store.reference.requirePupil(upn)
            let spells = stored.enrolments.filter { $0.school == laestab }
            guard let first = spells.map(\.onRollFrom).min() else {
                throw StoreError.notFound("\(upn) on the roll of \(laestab)")
            }
            var attendance: [CommonTransferFile.YearData] = []
            for start in first.academicYear.startYear...today.academicYear.startYear {
                let year = AcademicYear(startYear: start)
                // One pupil (a leaver's file) reads their own year; several read the school's roll once a year.
                if upns.count == 1 {
                    years[year] = [upn: try await rollYear(of: upn, at: laestab, year: year)]
                } else if years[year] == nil {
                    years[year] = Dictionary(
                        try await rollYears(laestab, year: year).map { ($0.pupil.upn, $0) },
                        uniquingKeysWith: { a, _ in a })
                }
                if let held = years[year]?[upn],
                    let data = CommonTransferFile.yearData(held, school: source, table: store.codes, rules: store.rules)
                {
                    attendance.append(data)
                }
            }
            // The years at other schools that earlier files brought travel on with the pupil, as those schools
            // gave them.
            for year in try await store.transfers.history(of: upn) {
                attendance.append(
                    CommonTransferFile.YearData(
                        year: year.year,
                        school: CommonTransferFile.School(
                            la: year.school.la, estab: year.school.estab, name: year.school.name),
                        possible: year.totals.possible, authorised: year.totals.authorised,
                        attended: year.totals.attended, unauthorised: year.totals.unauthorised,
                        marksFrom: year.marksFrom, marks: year.marks))
            }
            attendance.sort { ($0.year, $0.school.la, $0.school.estab) < ($1.year, $1.school.la, $1.school.estab) }
            let pupil = stored.pupil
            let contacts = try await store.contacts.contacts(of: upn).sorted { $0.priority < $1.priority }
            // The record keeps whether a pupil has free school meals or is looked after now, not since when: the
            // file says so as of the day it is made.
            let now = CommonTransferFile.Spell(start: today, end: nil)
            pupils.append(
                CommonTransferFile.Pupil(
                    upn: upn, surname: pupil.legalSurname, forename: pupil.legalForename,
                    preferredSurname: pupil.preferredSurname, preferredForename: pupil.preferredForename,
                    dateOfBirth: pupil.dateOfBirth, sex: pupil.sex, yearGroup: pupil.yearGroup,
                    freeSchoolMeals: pupil.freeSchoolMeals ? [now] : [], lookedAfter: pupil.lookedAfter ? [now] : [],
                    additionalLearningNeeds: pupil.additionalLearningNeeds,
                    contacts: contacts.enumerated().map { CommonTransferFile.contact($1, order: $0 + 1) },
                    address: contacts.compactMap(\.address).first?.components(separatedBy: ", ") ?? [],
                    attendance: attendance))
        }
        let file = CommonTransferFile(
            header: CommonTransferFile.Header(
                version: CTFWriter.version, dateTime: dateTime, qualifier: "full", source: source,
                destination: target, academicYear: today.academicYear.startYear),
            pupils: pupils)
        return file
    }
}

import AttendanceCore

extension CommonTransferFile {
    /// Each pupil's years at other schools, checked for import: a pupil named twice, or a mark in neither the Welsh
    /// set nor England's, is refused naming the pupil and the element, so nothing of the file is used.
    public func history(welsh: CodeTable) throws(CTFReader.Problem) -> [OtherSchoolYear] {
        var seen: [UPN: Int] = [:]
        var result: [OtherSchoolYear] = []
        for (index, pupil) in pupils.enumerated() {
            let place = "Pupil \(index + 1) (UPN \(pupil.upn.value))"
            if let first = seen[pupil.upn] {
                throw CTFReader.Problem(place: place + "/UPN", why: .samePupil(first))
            }
            seen[pupil.upn] = index + 1
            for (number, year) in pupil.attendance.enumerated() {
                let kept = OtherSchoolYear(
                    upn: pupil.upn,
                    school: OtherSchoolYear.School(
                        la: year.school.la, estab: year.school.estab, name: year.school.name),
                    year: year.year,
                    totals: OtherSchoolYear.Totals(
                        possible: year.possible, attended: year.attended, authorised: year.authorised,
                        unauthorised: year.unauthorised),
                    marksFrom: year.marksFrom, marks: year.marks)
                if let unknown = kept.unknownCode(welsh: welsh) {
                    throw CTFReader.Problem(
                        place: "\(place)/Attendance/YearData \(number + 1)/AttendSessions/AttendanceMarks",
                        why: .unknownCode(unknown.code, unknown.session))
                }
                result.append(kept)
            }
        }
        return result
    }
}

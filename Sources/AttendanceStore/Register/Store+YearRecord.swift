import AttendanceCore
import Foundation
import SQLKit

/// Who recorded marks, for which school, and when: one `register_recordings` row, written once for every mark a
/// register save (or an import, or a correction) recorded at one school.
struct Recorder: Sendable, Hashable {
    let schoolID: Int
    let by: String
    let at: String
    /// When the marks were made on the device that sent them, for a save a device held before sending it.
    var madeAt: String? = nil
}

/// What a mark holds beyond its code, stored only where a mark has it.
struct MarkDetail: Sendable, Hashable {
    let schoolID: Int
    let minutesLate: Int?
    let note: String?
}

/// One mark as the record holds it: its code from the pupil's year of codes, who recorded it from the year of
/// recordings, minutes late and note from the details.
struct RecordEntry: Sendable {
    let pupilID: Int
    let session: SchoolSession
    let code: String
    let minutesLate: Int?
    let note: String?
    let recorder: Recorder

    func recordedMark(upn: UPN) -> RecordedMark {
        RecordedMark(
            mark: Mark(upn: upn, session: session, code: code, minutesLate: minutesLate, note: note),
            recordedBy: recorder.by, recordedAt: Store.date(fromTimestamp: recorder.at),
            madeOnDeviceAt: recorder.madeAt.map(Store.date(fromTimestamp:)))
    }
}

extension Store {
    /// Every mark the record holds for the pupils in the range, by pupil and then session. Only the range's part
    /// of each year string is read.
    func recordedMarks(
        pupils: [Int], in range: DateRange, on db: (any SQLDatabase)? = nil
    ) async throws -> [RecordEntry] {
        guard !pupils.isEmpty else { return [] }
        let db = db ?? reader
        var found: [(pupilID: Int, session: SchoolSession, code: UInt8, recorder: UInt32)] = []
        for startYear in range.start.academicYear.startYear...range.end.academicYear.startYear {
            let year = AcademicYear(startYear: startYear)
            guard let slots = year.slots(in: range) else { continue }
            for chunk in pupils.chunked(5000) {
                let rows = try await db.raw(
                    """
                    SELECT y.pupil_id, substr(y.marks, CAST(\(bind: slots.lowerBound + 1) AS INTEGER), CAST(\(bind: slots.count) AS INTEGER)) AS codes,
                    substr(r.recordings, CAST(\(bind: slots.lowerBound * 4 + 1) AS INTEGER),
                    CAST(\(bind: slots.count * 4) AS INTEGER)) AS recorders
                    FROM pupil_year_marks y LEFT JOIN pupil_year_recordings r
                    ON r.pupil_id = y.pupil_id AND r.academic_year = y.academic_year
                    WHERE y.pupil_id IN (\(binds: Array(chunk))) AND y.academic_year = \(bind: startYear)
                    """
                ).all()
                for row in rows {
                    let pupilID = try row.decode(column: "pupil_id", as: Int.self)
                    let codes = try row.decode(column: "codes", as: Data?.self) ?? Data()
                    let recorders = try row.decode(column: "recorders", as: Data?.self) ?? Data()
                    for (offset, code) in codes.enumerated() where code != 0 {
                        guard let recorder = YearRecordings.id(in: recorders, at: offset) else {
                            throw StoreError.corrupt("a mark with no recorder (pupil row \(pupilID))")
                        }
                        found.append(
                            (
                                pupilID,
                                SchoolSession(academicYear: year, slot: slots.lowerBound + offset), code, recorder
                            ))
                    }
                }
            }
        }
        guard !found.isEmpty else { return [] }
        let recorders = try await recorders(Set(found.map(\.recorder)), on: db)
        let details = try await markDetails(pupils: pupils, in: range, on: db)
        return try found.sorted { ($0.pupilID, $0.session) < ($1.pupilID, $1.session) }.map { mark in
            guard let code = codes.code(id: mark.code), let recorder = recorders[mark.recorder] else {
                throw StoreError.corrupt("a mark with an unknown code or recorder (pupil row \(mark.pupilID))")
            }
            let detail = details[MarkKey(pupilID: mark.pupilID, session: mark.session)]
            return RecordEntry(
                pupilID: mark.pupilID, session: mark.session, code: code.code, minutesLate: detail?.minutesLate,
                note: detail?.note, recorder: recorder)
        }
    }

    /// The recorders' rows by number.
    func recorders(_ ids: Set<UInt32>, on db: any SQLDatabase) async throws -> [UInt32: Recorder] {
        var result: [UInt32: Recorder] = [:]
        for chunk in ids.filter({ $0 != 0 }).sorted().chunked(5000) {
            for row in try await db.raw(
                """
                SELECT id, school_id, recorded_by, recorded_at, made_at FROM register_recordings
                WHERE id IN (\(binds: chunk.map { Int($0) }))
                """
            ).all() {
                result[UInt32(try row.decode(column: "id", as: Int.self))] = Recorder(
                    schoolID: try row.decode(column: "school_id", as: Int.self),
                    by: try row.decode(column: "recorded_by", as: String.self),
                    at: try row.decode(column: "recorded_at", as: String.self),
                    madeAt: try row.decode(column: "made_at", as: String?.self))
            }
        }
        return result
    }

    /// Minutes late and notes of the pupils' marks in the range.
    func markDetails(pupils: [Int], in range: DateRange, on db: any SQLDatabase) async throws -> [MarkKey: MarkDetail] {
        var result: [MarkKey: MarkDetail] = [:]
        for chunk in pupils.chunked(5000) {
            for row in try await db.raw(
                """
                SELECT pupil_id, school_id, date, session, minutes_late, note FROM mark_details
                WHERE pupil_id IN (\(binds: Array(chunk))) AND date >= \(bind: range.start.iso)
                AND date <= \(bind: range.end.iso)
                """
            ).all() {
                guard let date = LocalDate(iso: try row.decode(column: "date", as: String.self)),
                    let half = SessionHalf(text: try row.decode(column: "session", as: String.self))
                else { throw StoreError.corrupt("a mark's details with an invalid date or session") }
                result[
                    MarkKey(
                        pupilID: try row.decode(column: "pupil_id", as: Int.self), session: SchoolSession(date, half))] =
                    MarkDetail(
                        schoolID: try row.decode(column: "school_id", as: Int.self),
                        minutesLate: try row.decode(column: "minutes_late", as: Int?.self),
                        note: try row.decode(column: "note", as: String?.self))
            }
        }
        return result
    }
}

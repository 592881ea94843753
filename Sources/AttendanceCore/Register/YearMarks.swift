/// A pupil's marks for one academic year, one byte a session (AM then PM for every day from 1 September):
/// the code's compact id, or 0 for no mark. The store keeps the register's codes this way (who recorded each mark
/// beside it, see `YearRecordings`), so a summary or the procedure reads 732 bytes a pupil.
public struct YearMarks: Hashable, Sendable {
    public let academicYear: AcademicYear
    public private(set) var bytes: [UInt8]

    public init(academicYear: AcademicYear) {
        self.academicYear = academicYear
        self.bytes = Array(repeating: 0, count: academicYear.sessionSlotCount)
    }

    /// Wraps stored bytes; a short or long blob is padded or cut to the year's length.
    public init(academicYear: AcademicYear, bytes: [UInt8]) {
        self.academicYear = academicYear
        let count = academicYear.sessionSlotCount
        self.bytes = bytes.count == count ? bytes : Array((bytes + Array(repeating: 0, count: count)).prefix(count))
    }

    public subscript(session: SchoolSession) -> UInt8 {
        get { bytes[session.slotInAcademicYear] }
        set { bytes[session.slotInAcademicYear] = newValue }
    }

    /// The code id at a place in the string (see `SchoolSession.slotInAcademicYear`).
    public subscript(slot slot: Int) -> UInt8 {
        get { bytes[slot] }
        set { bytes[slot] = newValue }
    }

    /// Sets a session's code; a session of another year is not this string's to hold, and is refused (false).
    @discardableResult
    public mutating func set(_ code: AttendanceCode?, at session: SchoolSession) -> Bool {
        guard session.date.academicYear == academicYear else { return false }
        self[session] = code?.id ?? 0
        return true
    }

    /// The slot range covering a date range clipped to this year, or nil when they do not meet.
    public func slots(in range: DateRange) -> Range<Int>? { academicYear.slots(in: range) }

    /// The summary of the marks in a date range, through the same class table as every other summary.
    public func summary(in range: DateRange, table: CodeTable, rules: SummaryRules = .wrexham2025) -> AttendanceSummary
    {
        var counts = Array(repeating: 0, count: SummaryClass.allCases.count)
        if let slots = slots(in: range) {
            Self.tally(bytes[slots], classes: table.classByID, into: &counts)
        }
        return AttendanceSummary(counts: counts, rules: rules)
    }

    /// Summary over a date range of raw stored bytes without copying them into a `YearMarks`.
    public static func summary(
        of bytes: some Collection<UInt8>, year: AcademicYear, in range: DateRange, table: CodeTable,
        rules: SummaryRules = .wrexham2025
    ) -> AttendanceSummary {
        var counts = Array(repeating: 0, count: SummaryClass.allCases.count)
        if let clipped = range.clamped(to: year.range) {
            let first = year.firstDay.days(until: clipped.start) * 2
            let last = min(year.firstDay.days(until: clipped.end) * 2 + 2, bytes.count)
            if first < last {
                let start = bytes.index(bytes.startIndex, offsetBy: first)
                let end = bytes.index(bytes.startIndex, offsetBy: last)
                tally(bytes[start..<end], classes: table.classByID, into: &counts)
            }
        }
        return AttendanceSummary(counts: counts, rules: rules)
    }

    private static func tally(_ bytes: some Collection<UInt8>, classes: [SummaryClass], into counts: inout [Int]) {
        for byte in bytes where byte != 0 {
            counts[Int(classes[Int(byte)].rawValue)] += 1
        }
    }

    /// Every marked session with its code, in order.
    public func marks(table: CodeTable) -> [(SchoolSession, AttendanceCode)] {
        bytes.indices.compactMap { slot in
            guard bytes[slot] != 0, let code = table.code(id: bytes[slot]) else { return nil }
            return (SchoolSession(academicYear: academicYear, slot: slot), code)
        }
    }
}

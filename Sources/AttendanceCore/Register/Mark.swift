import Foundation

/// One entry in the register: a pupil's code for a session.
public struct Mark: Hashable, Sendable {
    public var upn: UPN
    public var session: SchoolSession
    public var code: String
    public var minutesLate: Int?
    public var note: String?

    public init(upn: UPN, session: SchoolSession, code: String, minutesLate: Int? = nil, note: String? = nil) {
        self.upn = upn
        self.session = session
        self.code = code
        self.minutesLate = minutesLate
        self.note = note
    }
}

/// A mark as stored: who recorded it and when.
public struct RecordedMark: Hashable, Sendable {
    public var mark: Mark
    public var recordedBy: String
    public var recordedAt: Date
    /// When the mark was made on the device that sent it, where that was not when the server received it (a
    /// register taken without a connection and sent later).
    public var madeOnDeviceAt: Date?

    public init(mark: Mark, recordedBy: String, recordedAt: Date, madeOnDeviceAt: Date? = nil) {
        self.mark = mark
        self.recordedBy = recordedBy
        self.recordedAt = recordedAt
        self.madeOnDeviceAt = madeOnDeviceAt
    }
}

/// A change to the register. Nothing is ever erased: the old entry, the new one, who, when and why.
public struct Amendment: Hashable, Sendable {
    public var upn: UPN
    public var session: SchoolSession
    public var oldCode: String?
    public var oldMinutesLate: Int?
    public var oldRecordedBy: String?
    public var oldRecordedAt: Date?
    public var newCode: String
    public var newMinutesLate: Int?
    public var changedBy: String
    public var changedAt: Date
    public var reason: String

    public init(
        upn: UPN, session: SchoolSession, oldCode: String?, oldMinutesLate: Int?, oldRecordedBy: String?,
        oldRecordedAt: Date?, newCode: String, newMinutesLate: Int?, changedBy: String, changedAt: Date,
        reason: String
    ) {
        self.upn = upn
        self.session = session
        self.oldCode = oldCode
        self.oldMinutesLate = oldMinutesLate
        self.oldRecordedBy = oldRecordedBy
        self.oldRecordedAt = oldRecordedAt
        self.newCode = newCode
        self.newMinutesLate = newMinutesLate
        self.changedBy = changedBy
        self.changedAt = changedAt
        self.reason = reason
    }
}

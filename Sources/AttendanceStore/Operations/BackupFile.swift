import Crypto
import Foundation

/// The key backups are encrypted with: 32 random bytes, kept in the settings as base64 (`ATTENDANCE_BACKUP_KEY`),
/// never in a backup and never beside one.
public struct BackupKey: Sendable {
    let key: SymmetricKey

    /// From its base64 text; nil unless it is 32 bytes.
    public init?(base64: String) {
        guard let data = Data(base64Encoded: base64.trimmingCharacters(in: .whitespacesAndNewlines)),
            data.count == 32
        else { return nil }
        key = SymmetricKey(data: data)
    }

    /// A new random key as base64, for the settings.
    public static func make() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }
    }
}

/// Why a backup could not be made or restored.
public enum BackupError: Error, Equatable, CustomStringConvertible {
    /// The file does not begin as a backup of this program's.
    case notABackup
    /// The key does not open it, or it was changed or cut short since it was made.
    case cannotOpen
    /// A restore goes into an empty database only.
    case targetNotEmpty(String)
    /// A SQLite backup restores into a SQLite file, a PostgreSQL one into PostgreSQL.
    case otherKind(BackupKind)
    /// pg_dump or pg_restore is not installed, or ended with an error (its own message).
    case tool(String, String)
    /// An in-memory database has nothing to keep.
    case inMemory

    public var description: String {
        switch self {
        case .notABackup: "the file is not a backup made by attendance"
        case .cannotOpen: "the key does not open this backup, or the file was changed or cut short since it was made"
        case .targetNotEmpty(let what): "\(what) is not empty: a backup is restored into an empty database only"
        case .otherKind(let kind): "this is a \(kind.rawValue) backup: restore it into a \(kind.rawValue) database"
        case .tool(let tool, let message): "\(tool) failed: \(message)"
        case .inMemory: "an in-memory database is not backed up"
        }
    }
}

/// What a backup holds: a SQLite file, or PostgreSQL's own dump (pg_dump's custom format).
public enum BackupKind: String, Sendable {
    case sqlite = "SQLite"
    case postgres = "PostgreSQL"

    var byte: UInt8 { self == .sqlite ? 1 : 2 }
}

/// The backup file: a header naming what it holds, then the database's bytes in chunks of up to a mebibyte, each
/// sealed with AES-GCM. Each chunk's number and whether it is the last are sealed with it, so a file reordered or
/// cut short does not open; nothing of the database is written unencrypted but the working copy beside the output,
/// removed when the backup is made.
enum BackupFile {
    static let magic = Array("ATTENDANCE-BACKUP-1\n".utf8)
    static let chunk = 1 << 20

    /// Encrypts the file at `plain` into `output`.
    static func seal(_ plain: String, kind: BackupKind, into output: String, key: BackupKey) throws {
        guard let input = FileHandle(forReadingAtPath: plain) else { throw BackupError.tool("reading", plain) }
        defer { try? input.close() }
        let out = try create(output)
        defer { try? out.close() }
        let header = magic + [kind.byte]
        try out.write(contentsOf: Data(header))
        var index: UInt64 = 0
        var pending = try input.read(upToCount: chunk) ?? Data()
        while true {
            let next = pending.isEmpty ? Data() : (try input.read(upToCount: chunk) ?? Data())
            let last = next.isEmpty
            let sealed = try AES.GCM.seal(
                pending, using: key.key, authenticating: associated(header, index: index, last: last))
            guard let combined = sealed.combined else { throw BackupError.cannotOpen }
            try out.write(contentsOf: Data([last ? 1 : 0]) + bigEndian(UInt32(combined.count)) + combined)
            if last { break }
            pending = next
            index += 1
        }
    }

    /// The kind a backup holds, read from its header.
    static func kind(of path: String) throws -> BackupKind {
        guard let input = FileHandle(forReadingAtPath: path) else { throw BackupError.notABackup }
        defer { try? input.close() }
        let header = try input.read(upToCount: magic.count + 1).map { Array($0) } ?? []
        guard header.count == magic.count + 1, Array(header.prefix(magic.count)) == magic else {
            throw BackupError.notABackup
        }
        switch header[magic.count] {
        case 1: return .sqlite
        case 2: return .postgres
        default: throw BackupError.notABackup
        }
    }

    /// Decrypts the backup at `path` into `plain` (made new, readable by this user only).
    static func open(_ path: String, into plain: String, key: BackupKey) throws {
        let kind = try kind(of: path)
        guard let input = FileHandle(forReadingAtPath: path) else { throw BackupError.notABackup }
        defer { try? input.close() }
        let header = magic + [kind.byte]
        _ = try input.read(upToCount: header.count)
        let out = try create(plain)
        defer { try? out.close() }
        var index: UInt64 = 0
        while true {
            guard let frame = try input.read(upToCount: 5), frame.count == 5 else { throw BackupError.cannotOpen }
            let bytes = Array(frame)
            let last = bytes[0] == 1
            let length = bytes[1...4].reduce(0) { $0 << 8 | Int($1) }
            guard length <= chunk + 64, let combined = try input.read(upToCount: length), combined.count == length
            else { throw BackupError.cannotOpen }
            do {
                let box = try AES.GCM.SealedBox(combined: combined)
                let data = try AES.GCM.open(
                    box, using: key.key, authenticating: associated(header, index: index, last: last))
                try out.write(contentsOf: data)
            } catch {
                throw BackupError.cannotOpen
            }
            if last { break }
            index += 1
        }
        guard (try input.read(upToCount: 1) ?? Data()).isEmpty else { throw BackupError.cannotOpen }
    }

    private static func associated(_ header: [UInt8], index: UInt64, last: Bool) -> Data {
        Data(header) + bigEndian(index) + Data([last ? 1 : 0])
    }

    private static func bigEndian<T: FixedWidthInteger>(_ value: T) -> Data {
        withUnsafeBytes(of: value.bigEndian) { Data($0) }
    }

    /// A new file readable and writable by this user alone (an existing one is refused, never overwritten).
    static func create(_ path: String) throws -> FileHandle {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw BackupError.tool("writing", "\(path) exists already")
        }
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]),
            let handle = FileHandle(forWritingAtPath: path)
        else { throw BackupError.tool("writing", "\(path) could not be made") }
        return handle
    }
}

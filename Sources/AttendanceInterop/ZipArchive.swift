import Foundation

/// A zip file of stored (uncompressed) entries, made in memory: what a subject access export hands over (CSV and
/// PDF, which is compressed already). Names are UTF-8 (flag bit 11); times are left at the format's epoch, since a
/// reader has the export's date in its README.
public struct ZipArchive: Sendable {
    private var body = Data()
    private var central = Data()
    private var count = 0

    public init() {}

    public mutating func add(_ name: String, _ data: Data) {
        let nameBytes = Data(name.utf8)
        let crc = Self.crc32(data)
        let offset = UInt32(truncatingIfNeeded: body.count)
        var local = Data()
        local.append(le32(0x0403_4b50))
        local.append(le16(20))  // version needed
        local.append(le16(0x0800))  // UTF-8 names
        local.append(le16(0))  // stored
        local.append(le16(0))  // time
        local.append(le16(0x21))  // date: 1980-01-01
        local.append(le32(crc))
        local.append(le32(UInt32(truncatingIfNeeded: data.count)))
        local.append(le32(UInt32(truncatingIfNeeded: data.count)))
        local.append(le16(UInt16(truncatingIfNeeded: nameBytes.count)))
        local.append(le16(0))
        body.append(local)
        body.append(nameBytes)
        body.append(data)
        var entry = Data()
        entry.append(le32(0x0201_4b50))
        entry.append(le16(20))  // made by
        entry.append(le16(20))
        entry.append(le16(0x0800))
        entry.append(le16(0))
        entry.append(le16(0))
        entry.append(le16(0x21))
        entry.append(le32(crc))
        entry.append(le32(UInt32(truncatingIfNeeded: data.count)))
        entry.append(le32(UInt32(truncatingIfNeeded: data.count)))
        entry.append(le16(UInt16(truncatingIfNeeded: nameBytes.count)))
        entry.append(le16(0))  // extra
        entry.append(le16(0))  // comment
        entry.append(le16(0))  // disk
        entry.append(le16(0))  // internal attributes
        entry.append(le32(0))  // external attributes
        entry.append(le32(offset))
        central.append(entry)
        central.append(nameBytes)
        count += 1
    }

    /// The whole file.
    public var data: Data {
        var end = Data()
        end.append(le32(0x0605_4b50))
        end.append(le16(0))
        end.append(le16(0))
        end.append(le16(UInt16(truncatingIfNeeded: count)))
        end.append(le16(UInt16(truncatingIfNeeded: count)))
        end.append(le32(UInt32(truncatingIfNeeded: central.count)))
        end.append(le32(UInt32(truncatingIfNeeded: body.count)))
        end.append(le16(0))
        return body + central + end
    }

    private static let table: [UInt32] = (0..<256).map { index in
        (0..<8).reduce(UInt32(index)) { crc, _ in crc & 1 == 1 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
    }

    static func crc32(_ data: Data) -> UInt32 {
        ~data.reduce(~UInt32(0)) { crc, byte in table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
    }

    private func le16(_ value: UInt16) -> Data { withUnsafeBytes(of: value.littleEndian) { Data($0) } }
    private func le32(_ value: UInt32) -> Data { withUnsafeBytes(of: value.littleEndian) { Data($0) } }
}

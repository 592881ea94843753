import Foundation

/// An email with attachments, written as MIME (RFC 5322 / 2045) with UTF-8 text so Welsh letters survive.
public struct MailMessage: Sendable {
    public struct Attachment: Sendable {
        public let filename: String
        public let contentType: String
        public let data: Data

        public init(filename: String, contentType: String, data: Data) {
            self.filename = filename
            self.contentType = contentType
            self.data = data
        }
    }

    public let from: String
    public let to: String
    public let subject: String
    public let text: String
    public let attachments: [Attachment]

    public init(from: String, to: String, subject: String, text: String, attachments: [Attachment] = []) {
        self.from = from
        self.to = to
        self.subject = subject
        self.text = text
        self.attachments = attachments
    }

    /// The message as sent, lines ending CRLF.
    public func rendered(date: Date = Date(), id: String = UUID().uuidString) -> String {
        let boundary = "attendance-\(id)"
        let domain = from.split(separator: "@").last.map(String.init) ?? "localhost"
        var lines = [
            "From: \(from)", "To: \(to)", "Subject: \(Self.encodedWord(subject))", "Date: \(Self.rfc5322(date))",
            "Message-ID: <\(id)@\(domain)>", "MIME-Version: 1.0",
            "Content-Type: multipart/mixed; boundary=\"\(boundary)\"", "",
            "--\(boundary)", "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: base64", "",
        ]
        lines += Self.base64Lines(Data(text.utf8))
        for attachment in attachments {
            lines += [
                "--\(boundary)", "Content-Type: \(attachment.contentType); name=\"\(attachment.filename)\"",
                "Content-Disposition: attachment; filename=\"\(attachment.filename)\"",
                "Content-Transfer-Encoding: base64", "",
            ]
            lines += Self.base64Lines(attachment.data)
        }
        lines += ["--\(boundary)--", ""]
        return lines.joined(separator: "\r\n")
    }

    /// A header word in UTF-8 (RFC 2047) when it is not plain ASCII.
    static func encodedWord(_ text: String) -> String {
        text.allSatisfy(\.isASCII) ? text : "=?UTF-8?B?\(Data(text.utf8).base64EncodedString())?="
    }

    static func base64Lines(_ data: Data) -> [String] {
        let text = data.base64EncodedString()
        var result: [String] = []
        var index = text.startIndex
        while index < text.endIndex {
            let end = text.index(index, offsetBy: 76, limitedBy: text.endIndex) ?? text.endIndex
            result.append(String(text[index..<end]))
            index = end
        }
        return result
    }

    static func rfc5322(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }
}

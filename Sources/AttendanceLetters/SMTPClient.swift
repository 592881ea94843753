import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// Sends mail to one SMTP server (RFC 5321): EHLO, STARTTLS when configured, AUTH PLAIN when credentials are
/// given, then the message. One connection per message keeps failures separate.
public struct SMTPClient: Sendable {
    public let configuration: SMTPConfiguration

    public init(_ configuration: SMTPConfiguration) {
        self.configuration = configuration
    }

    public func send(_ message: MailMessage) async throws {
        let config = configuration
        let replies = SMTPReplyHandler()
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(Int64(config.timeout)))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(replies) }
                }
                .connect(host: config.host, port: config.port).get()
        } catch {
            throw MessagingProblem("could not connect to the mail server \(config.host):\(config.port): \(error)")
        }
        // A server that stops answering is cut off, which fails whatever is waiting.
        let deadline = channel.eventLoop.scheduleTask(in: .seconds(Int64(config.timeout) * 4)) {
            channel.close(promise: nil)
        }
        defer {
            deadline.cancel()
            channel.close(promise: nil)
        }
        let conversation = SMTPConversation(channel: channel, replies: replies)
        try await conversation.expect(220, after: nil)
        let hello =
            "EHLO " + (ProcessInfo.processInfo.hostName.isEmpty ? "localhost" : ProcessInfo.processInfo.hostName)
        var capabilities = try await conversation.expect(250, after: hello)
        var secure = false
        if config.security == .startTLS {
            guard capabilities.lines.contains(where: { $0.uppercased().hasPrefix("STARTTLS") }) else {
                throw MessagingProblem("the mail server \(config.host) does not offer STARTTLS")
            }
            try await conversation.expect(220, after: "STARTTLS")
            var tls = TLSConfiguration.makeClientConfiguration()
            if let caFile = config.caFile { tls.trustRoots = .file(caFile) }
            let context = try NIOSSLContext(configuration: tls)
            let host = config.host
            try await channel.eventLoop.submit {
                let handler = try NIOSSLClientHandler(context: context, serverHostname: host)
                try channel.pipeline.syncOperations.addHandler(handler, position: .first)
            }.get()
            secure = true
            capabilities = try await conversation.expect(250, after: hello)
        }
        if let username = config.username, let password = config.password {
            guard secure || ["localhost", "127.0.0.1", "::1"].contains(config.host) else {
                throw MessagingProblem("will not send the mail password to \(config.host) without STARTTLS")
            }
            let token = Data("\u{0}\(username)\u{0}\(password)".utf8).base64EncodedString()
            try await conversation.expect(235, after: "AUTH PLAIN \(token)", hidden: true)
        }
        _ = capabilities
        try await conversation.expect(250, after: "MAIL FROM:<\(config.from)>")
        try await conversation.expect([250, 251], after: "RCPT TO:<\(message.to)>")
        try await conversation.expect(354, after: "DATA")
        // Dot-stuffing (RFC 5321 4.5.2): a line starting with "." gets another.
        let body = message.rendered().split(separator: "\r\n", omittingEmptySubsequences: false).map {
            $0.hasPrefix(".") ? "." + $0 : String($0)
        }.joined(separator: "\r\n")
        try await conversation.expect(250, after: body + (body.hasSuffix("\r\n") ? "" : "\r\n") + ".")
        _ = try? await conversation.expect(221, after: "QUIT")
    }
}

/// One reply from the server: its code and its lines of text.
struct SMTPReply: Sendable {
    let code: Int
    let lines: [String]
}

/// Commands in turn, each checked against the code it should get.
struct SMTPConversation {
    let channel: any Channel
    let replies: SMTPReplyHandler

    @discardableResult
    func expect(_ code: Int, after command: String?, hidden: Bool = false) async throws -> SMTPReply {
        try await expect([code], after: command, hidden: hidden)
    }

    @discardableResult
    func expect(_ codes: [Int], after command: String?, hidden: Bool = false) async throws -> SMTPReply {
        let promise = channel.eventLoop.makePromise(of: SMTPReply.self)
        let replies = self.replies
        let channel = self.channel
        channel.eventLoop.execute {
            replies.await(promise)
            if let command {
                channel.writeAndFlush(ByteBuffer(string: command + "\r\n"), promise: nil)
            }
        }
        let reply: SMTPReply
        do {
            reply = try await promise.futureResult.get()
        } catch {
            throw MessagingProblem("the mail server closed the connection")
        }
        guard codes.contains(reply.code) else {
            let what = hidden ? "AUTH" : (command?.split(separator: " ").first.map(String.init) ?? "greeting")
            throw MessagingProblem(
                "the mail server answered \(what) with \(reply.code) \(reply.lines.joined(separator: " "))")
        }
        return reply
    }
}

/// Splits what the server says into replies (a line "250-…" continues, "250 …" ends) and hands each to the
/// next waiting command. Touched only on its channel's event loop.
final class SMTPReplyHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer

    private var buffer = ""
    private var lines: [String] = []
    private var ready: [SMTPReply] = []
    private var waiting: [EventLoopPromise<SMTPReply>] = []

    func await(_ promise: EventLoopPromise<SMTPReply>) {
        if ready.isEmpty { waiting.append(promise) } else { promise.succeed(ready.removeFirst()) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        buffer += bytes.readString(length: bytes.readableBytes) ?? ""
        while let end = buffer.range(of: "\r\n") {
            let line = String(buffer[..<end.lowerBound])
            buffer.removeSubrange(..<end.upperBound)
            lines.append(String(line.dropFirst(4)))
            let separator = line.dropFirst(3).first
            guard separator != "-" else { continue }
            let reply = SMTPReply(code: Int(line.prefix(3)) ?? 0, lines: lines)
            lines = []
            if waiting.isEmpty { ready.append(reply) } else { waiting.removeFirst().succeed(reply) }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failAll()
        context.close(promise: nil)
    }

    private func failAll() {
        let pending = waiting
        waiting = []
        for promise in pending { promise.fail(MessagingProblem("the mail server closed the connection")) }
    }
}

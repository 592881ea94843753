import Vapor

/// The address of the device a request came from. Behind a proxy (nginx, a load balancer) every connection comes
/// from the proxy, which names the device in `X-Forwarded-For`; that header is believed only from a proxy the
/// settings trust, since anyone else may write anything in it. The sign-in throttle and the audit trail then see
/// the device, not the proxy.
enum ClientAddress {
    /// The connection's address, or, when it is a trusted proxy, the nearest address in `X-Forwarded-For` that is
    /// not one (each proxy appends the address it was reached from, so the list is read from its end).
    static func resolve(peer: String?, forwardedFor: [String], trusted: Set<String>) -> String? {
        guard let peer, trusted.contains(peer) else { return peer }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }
        for hop in hops.reversed() where !trusted.contains(hop) {
            return isAddress(hop) ? hop : peer
        }
        return peer
    }

    /// Text that can be an IPv4 or IPv6 address (nothing else is written to the audit trail as one).
    static func isAddress(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 45
            && text.allSatisfy { $0.isHexDigit || $0 == "." || $0 == ":" }
    }
}

extension Request {
    /// Where the request came from, as `ClientAddress` reads it under this server's trusted proxies.
    var clientAddress: String? {
        ClientAddress.resolve(
            peer: remoteAddress?.ipAddress, forwardedFor: headers[.xForwardedFor],
            trusted: context.configuration.trustedProxies)
    }
}

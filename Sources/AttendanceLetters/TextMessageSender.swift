import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// Sends a text message; the one interface every gateway is reached through.
public protocol TextMessageSender: Sendable {
    /// Sends `message` to `phoneNumber`; returns the gateway's reference for it.
    func send(to phoneNumber: String, message: String, reference: String) async throws -> String
}

/// GOV.UK Notify's SMS API (`POST /v2/notifications/sms`), with its documented JWT bearer authentication.
/// The Notify template is expected to be `((message))`: the wording, in the parent's language, is ours.
public struct NotifyTextSender: TextMessageSender {
    public struct Configuration: Sendable, Equatable {
        public var apiKey: String
        public var baseURL: String
        public var templateID: String

        public init(apiKey: String, baseURL: String = "https://api.notifications.service.gov.uk", templateID: String) {
            self.apiKey = apiKey
            self.baseURL = baseURL
            self.templateID = templateID
        }

        /// `ATTENDANCE_NOTIFY_API_KEY`, `ATTENDANCE_NOTIFY_TEMPLATE_ID` and optionally `ATTENDANCE_NOTIFY_URL`;
        /// nil when no key is set: text messages are then off.
        public static func fromEnvironment(
            _ environment: [String: String]
        ) throws -> Configuration? {
            guard let key = environment["ATTENDANCE_NOTIFY_API_KEY"], !key.isEmpty else { return nil }
            guard key.count >= 74 else {
                throw MessagingProblem("ATTENDANCE_NOTIFY_API_KEY: not a GOV.UK Notify API key")
            }
            guard let template = environment["ATTENDANCE_NOTIFY_TEMPLATE_ID"], !template.isEmpty else {
                throw MessagingProblem("ATTENDANCE_NOTIFY_TEMPLATE_ID: give the id of a Notify template ((message))")
            }
            return Configuration(
                apiKey: key,
                baseURL: environment["ATTENDANCE_NOTIFY_URL"] ?? "https://api.notifications.service.gov.uk",
                templateID: template)
        }

        /// The key ends with the service id and the secret, each 36 characters, joined by hyphens.
        var serviceID: String { String(apiKey.dropLast(37).suffix(36)) }
        var secret: String { String(apiKey.suffix(36)) }
    }

    public let configuration: Configuration
    let client: HTTPClient

    public init(_ configuration: Configuration, client: HTTPClient = .shared) {
        self.configuration = configuration
        self.client = client
    }

    public func send(to phoneNumber: String, message: String, reference: String) async throws -> String {
        var request = HTTPClientRequest(url: configuration.baseURL + "/v2/notifications/sms")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer " + token(at: Date()))
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "attendance-wrexham")
        let body = NotifyRequest(
            phoneNumber: phoneNumber, templateID: configuration.templateID, personalisation: ["message": message],
            reference: reference)
        request.body = .bytes(ByteBuffer(data: try JSONEncoder().encode(body)))
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: .seconds(30))
        } catch {
            throw MessagingProblem("could not reach GOV.UK Notify: \(error)")
        }
        let data = Data(buffer: try await response.body.collect(upTo: 1 << 20))
        let answer = try? JSONDecoder().decode(NotifyAnswer.self, from: data)
        guard response.status == .created else {
            // Notify's errors: {"status_code": 400, "errors": [{"error": "BadRequestError", "message": "…"}]}
            let errors = (answer?.errors ?? []).map { "\($0.error ?? "error"): \($0.message ?? "")" }
            throw MessagingProblem(
                "GOV.UK Notify refused the message (\(response.status.code)"
                    + (errors.isEmpty ? ")" : ": \(errors.joined(separator: "; ")))"))
        }
        guard let id = answer?.id else {
            throw MessagingProblem("GOV.UK Notify's answer had no notification id")
        }
        return id
    }

    /// Notify's request body, in its documented field names.
    struct NotifyRequest: Encodable {
        let phoneNumber: String
        let templateID: String
        let personalisation: [String: String]
        let reference: String

        enum CodingKeys: String, CodingKey {
            case phoneNumber = "phone_number"
            case templateID = "template_id"
            case personalisation, reference
        }
    }

    /// What Notify answers: the notification's id, or its errors.
    struct NotifyAnswer: Decodable {
        struct Problem: Decodable {
            let error: String?
            let message: String?
        }
        let id: String?
        let errors: [Problem]?
    }

    /// The JWT Notify asks for: HS256, issuer the service id, issued now (Notify allows 30 seconds' skew).
    func token(at date: Date) -> String {
        func base64URL(_ data: Data) -> String {
            data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
        }
        let header = base64URL(Data(#"{"typ":"JWT","alg":"HS256"}"#.utf8))
        let payload = base64URL(
            Data(#"{"iss":"\#(configuration.serviceID)","iat":\#(Int(date.timeIntervalSince1970))}"#.utf8))
        let signature = HMAC<SHA256>.authenticationCode(
            for: Data("\(header).\(payload)".utf8), using: SymmetricKey(data: Data(configuration.secret.utf8)))
        return "\(header).\(payload).\(base64URL(Data(signature)))"
    }
}

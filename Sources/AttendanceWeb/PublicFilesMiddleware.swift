import Foundation
import Vapor

/// Serves the few public files (styles and scripts), read once at start. A request is matched against their
/// names only: nothing a client sends ever reaches the file system (a 300-character path was a 500 when it did).
struct PublicFilesMiddleware: AsyncMiddleware {
    let files: [String: (data: Data, type: HTTPMediaType)]

    init(directory: URL) throws {
        var files: [String: (Data, HTTPMediaType)] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) where !name.hasPrefix(".") {
            let type: HTTPMediaType
            switch (name as NSString).pathExtension {
            case "css": type = HTTPMediaType(type: "text", subType: "css", parameters: ["charset": "utf-8"])
            case "js": type = HTTPMediaType(type: "text", subType: "javascript", parameters: ["charset": "utf-8"])
            default: type = .binary
            }
            files["/" + name] = (try Data(contentsOf: directory.appendingPathComponent(name)), type)
        }
        self.files = files
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.method == .GET || request.method == .HEAD, let file = files[request.url.path] else {
            return try await next.respond(to: request)
        }
        let response = Response(status: .ok, body: .init(data: file.data))
        response.headers.contentType = file.type
        response.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=3600")
        return response
    }
}

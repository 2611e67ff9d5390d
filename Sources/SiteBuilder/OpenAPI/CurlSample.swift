/// The `curl` line of an operation, built from its server, path, parameters and example.
enum CurlSample {
    static func make(for operation: APIOperation) -> String {
        var lines = ["curl -X \(operation.method) \"\(url(for: operation))\""]
        if let header = authorization(for: operation) { lines.append("-H \"\(header)\"") }
        if let body = operation.requestBody {
            lines.append("-H \"Content-Type: \(body.mediaType)\"")
            if let example = body.exampleJSON {
                lines.append("-d '\(example.replacingOccurrences(of: "'", with: "'\\''"))'")
            }
        }
        return lines.joined(separator: " \\\n  ")
    }

    /// The server URL and path, with path parameters and required query parameters filled
    /// in from their examples.
    static func url(for operation: APIOperation) -> String {
        var path = operation.path
        for parameter in operation.pathParameters {
            path = path.replacingOccurrences(of: "{\(parameter.name)}", with: parameter.example ?? "{\(parameter.name)}")
        }
        let query = operation.queryParameters.filter(\.required).map { "\($0.name)=\($0.example ?? "<\($0.name)>")" }
        return operation.server.url + path + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
    }

    /// The first scheme's header with a placeholder named after the credential.
    static func authorization(for operation: APIOperation) -> String? {
        guard let scheme = operation.security.first else { return nil }
        let placeholder = scheme.name == "connectToken" ? "<connect-token>" : scheme.name == "accessKey" ? "<access-key>" : "<token>"
        return scheme.header.replacingOccurrences(of: "<token>", with: placeholder)
    }
}

import Foundation

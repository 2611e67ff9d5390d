/// The `curl` line of an operation, built from its server, path, parameters and example.
enum CurlSample {
    static func make(for operation: APIOperation) -> String {
        var path = operation.path
        for parameter in operation.pathParameters {
            path = path.replacingOccurrences(of: "{\(parameter.name)}", with: parameter.example ?? "{\(parameter.name)}")
        }
        let query = operation.queryParameters.filter(\.required).map { "\($0.name)=\($0.example ?? "<\($0.name)>")" }
        let url = operation.server.url + path + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
        var lines = ["curl -X \(operation.method) \"\(url)\""]
        if let scheme = operation.security.first {
            let placeholder = scheme.name == "connectToken" ? "<connect-token>" : scheme.name == "accessKey" ? "<access-key>" : "<token>"
            lines.append("-H \"\(scheme.header.replacingOccurrences(of: "<token>", with: placeholder))\"")
        }
        if let body = operation.requestBody {
            lines.append("-H \"Content-Type: \(body.mediaType)\"")
            if let example = body.exampleJSON {
                lines.append("-d '\(example.replacingOccurrences(of: "'", with: "'\\''"))'")
            }
        }
        return lines.joined(separator: " \\\n  ")
    }
}

import Foundation

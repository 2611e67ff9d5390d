/// A request for an operation in four languages, generated from the OpenAPI description:
/// curl, Python (requests), JavaScript (fetch) and Swift (URLSession).
enum CodeSamples {
    struct Sample: Sendable, Equatable {
        /// Stable id, remembered by the reader's browser: `curl`, `python`, `javascript`, `swift`.
        var id: String
        var label: String
        /// The highlighter's language.
        var language: String
        var code: String
    }

    static func all(for operation: APIOperation) -> [Sample] {
        let request = Request(operation)
        return [
            Sample(id: "curl", label: "curl", language: "bash", code: CurlSample.make(for: operation)),
            Sample(id: "python", label: "Python", language: "python", code: python(request)),
            Sample(id: "javascript", label: "JavaScript", language: "javascript", code: javascript(request)),
            Sample(id: "swift", label: "Swift", language: "swift", code: swift(request)),
        ]
    }

    /// What every sample sends: method, URL, headers and body.
    struct Request {
        var method: String
        var url: String
        var headers: [(String, String)]
        var body: String?

        init(_ operation: APIOperation) {
            method = operation.method
            url = CurlSample.url(for: operation)
            headers = []
            if let header = CurlSample.authorization(for: operation) {
                let parts = header.split(separator: ":", maxSplits: 1)
                headers.append((String(parts[0]), parts[1].trimmingCharacters(in: .whitespaces)))
            }
            body = operation.requestBody?.exampleJSON
            if let media = operation.requestBody?.mediaType { headers.append(("Content-Type", media)) }
        }
    }

    static func python(_ request: Request) -> String {
        var lines = ["import requests", "", "response = requests.\(request.method.lowercased())(", "    \(quoted(request.url)),"]
        if !request.headers.isEmpty {
            let headers = request.headers.filter { $0.0 != "Content-Type" || request.body == nil }
            if !headers.isEmpty {
                lines.append("    headers={" + headers.map { "\(quoted($0.0)): \(quoted($0.1))" }.joined(separator: ", ") + "},")
            }
        }
        if let body = request.body {
            lines.append("    json=" + indent(pythonLiterals(body), by: "    ").dropFirst(4) + ",")
        }
        lines += ["    timeout=30,", ")", "response.raise_for_status()", "print(response.json())"]
        return lines.joined(separator: "\n")
    }

    static func javascript(_ request: Request) -> String {
        var lines = ["const response = await fetch(\(quoted(request.url)), {", "  method: \(quoted(request.method)),"]
        if !request.headers.isEmpty {
            lines.append("  headers: {")
            lines += request.headers.map { "    \(quoted($0.0)): \(quoted($0.1))," }
            lines.append("  },")
        }
        if let body = request.body {
            lines.append("  body: JSON.stringify(" + indent(body, by: "  ").dropFirst(2) + "),")
        }
        lines += ["});", "console.log(response.status, await response.json());"]
        return lines.joined(separator: "\n")
    }

    static func swift(_ request: Request) -> String {
        var lines = ["import Foundation", "", "var request = URLRequest(url: URL(string: \(quoted(request.url)))!)",
                     "request.httpMethod = \(quoted(request.method))"]
        lines += request.headers.map { "request.setValue(\(quoted($0.1)), forHTTPHeaderField: \(quoted($0.0)))" }
        if let body = request.body {
            lines += ["request.httpBody = Data(\"\"\"", body, "\"\"\".utf8)"]
        }
        lines += ["let (data, response) = try await URLSession.shared.data(for: request)",
                  "print((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))"]
        return lines.joined(separator: "\n")
    }

    private static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    private static func indent(_ text: String, by prefix: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { prefix + $0 }.joined(separator: "\n")
    }

    /// JSON as a Python literal: `true`, `false` and `null` outside strings become
    /// `True`, `False` and `None`.
    static func pythonLiterals(_ json: String) -> String {
        var result = ""
        var inString = false
        var escaped = false
        var word = ""
        func flush() {
            result += ["true": "True", "false": "False", "null": "None"][word] ?? word
            word = ""
        }
        for character in json {
            if inString {
                result.append(character)
                if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { inString = false }
            } else if character.isLetter {
                word.append(character)
            } else {
                flush()
                if character == "\"" { inString = true }
                result.append(character)
            }
        }
        flush()
        return result
    }
}

import ConnectAPI
import Foundation

/// The keys an operation page's layout reads, under `operation`.
struct OperationContext {
    let markdown: MarkdownRenderer

    /// Every operation can be tried from its page, on the docs' own origin: the hosted page's
    /// calls through the proxy, the App host's through the sandbox (in sandbox mode only).
    static func hasTryIt(_ operation: APIOperation) -> Bool {
        ConnectRouteShape.isProxied(operation.path) || isAppHost(operation)
    }

    static func isAppHost(_ operation: APIOperation) -> Bool {
        AppHostRoute.documented(method: operation.method, path: operation.path) != nil
    }

    func context(for operation: APIOperation) -> [String: Any] {
        var context: [String: Any] = [
            "id": operation.operationID,
            "summary": operation.summary,
            "description": markdown.render(operation.description, allowRawHTML: false).html,
            "method": operation.method,
            "methodClass": operation.method.lowercased(),
            "path": operation.path,
            "serverURL": operation.server.url,
            "serverDescription": operation.server.description ?? "",
            "security": operation.security.map { scheme in
                [
                    "name": scheme.name,
                    "header": scheme.header,
                    "location": scheme.location,
                    "description": scheme.description.map { markdown.render($0, allowRawHTML: false).html } ?? "",
                ] as [String: Any]
            },
            "hasSecurity": !operation.security.isEmpty,
            "securityIsOptional": operation.securityIsOptional,
            "pathParameters": operation.pathParameters.map(field),
            "queryParameters": operation.queryParameters.map(field),
            "hasPathParameters": !operation.pathParameters.isEmpty,
            "hasQueryParameters": !operation.queryParameters.isEmpty,
            "responses": operation.responses.enumerated().map { index, response in
                [
                    "status": response.status,
                    "description": response.description,
                    "mediaType": response.mediaType ?? "",
                    "example": response.exampleJSON.map { SyntaxHighlighter.highlight($0, language: "json") } ?? "",
                    "hasExample": response.exampleJSON != nil,
                    "fields": response.fields.map(field),
                    "hasFields": !response.fields.isEmpty,
                    "first": index == 0,
                    "statusClass": "status-\(response.status.prefix(1))xx",
                ] as [String: Any]
            },
            "samples": CodeSamples.all(for: operation).enumerated().map { index, sample in
                ["id": sample.id, "label": sample.label, "language": sample.language, "first": index == 0,
                 "html": SyntaxHighlighter.highlight(sample.code, language: sample.language)] as [String: Any]
            },
        ]
        let errors = Self.errors(of: operation)
        if !errors.isEmpty {
            context["hasErrors"] = true
            context["errors"] = errors.map { row in
                ["status": row.status, "statusClass": "status-\(row.status.prefix(1))xx", "code": row.code, "source": row.source,
                 "meaning": inline(row.meaning), "remedy": inline(row.remedy), "header": row.header ?? ""] as [String: Any]
            }
        }
        if Self.hasTryIt(operation) {
            context["tryIt"] = tryIt(operation)
        }
        if let body = operation.requestBody {
            context["requestBody"] = [
                "mediaType": body.mediaType,
                "description": body.description.map { inline($0) } ?? "",
                "fields": body.fields.map(field),
                "example": body.exampleJSON.map { SyntaxHighlighter.highlight($0, language: "json") } ?? "",
                "hasExample": body.exampleJSON != nil,
            ] as [String: Any]
        }
        return context
    }

    /// The try-it form. An App host call goes to `/_dev/apps/<the server's host>` and the
    /// documented path, which connect-server answers from the sandbox; the server's variables
    /// (the App's hostname) are fields of the form like the path's parameters.
    private func tryIt(_ operation: APIOperation) -> [String: Any] {
        let appHost = Self.isAppHost(operation)
        var parameters = operation.pathParameters.map { ["name": $0.name, "example": $0.example ?? ""] }
        var target = operation.path
        if appHost {
            let host = operation.server.template.replacingOccurrences(of: "https://", with: "")
            target = "/_dev/apps/" + host + operation.path
            parameters = operation.server.variables.map { ["name": $0.name, "example": $0.defaultValue] } + parameters
        }
        return [
            "target": target,
            "appHost": appHost,
            "parameters": parameters,
            "query": operation.queryParameters.map { ["name": $0.name, "example": $0.example ?? "", "required": $0.required] },
            "body": operation.requestBody?.exampleJSON ?? "",
            "hasBody": operation.requestBody != nil,
        ]
    }

    /// A field with every key set at every depth, so that the recursive `field` partial
    /// never finds a parent's `children` through Mustache's context lookup.
    private func field(_ field: APIField) -> [String: Any] {
        [
            "name": field.name,
            "type": field.type,
            "required": field.required,
            "description": field.description.map { inline($0) } ?? "",
            "children": field.children.map(self.field),
            "hasChildren": !field.children.isEmpty,
            "childSummary": field.children.count == 1 ? "The field of" : "The \(field.children.count) fields of",
            "enumValues": field.enumValues,
            "hasEnum": !field.enumValues.isEmpty,
            "facts": field.facts.map { ["label": $0.label, "value": $0.value] },
            "hasFacts": !field.facts.isEmpty,
            "variants": field.variants.map { variant in
                ["name": variant.name, "type": variant.type, "fields": variant.fields.map(self.field),
                 "hasFields": !variant.fields.isEmpty] as [String: Any]
            },
            "hasVariants": !field.variants.isEmpty,
            "discriminator": field.discriminator ?? "",
            "hasDiscriminator": field.discriminator != nil,
        ]
    }

    /// Markdown for one short description, without the wrapping paragraph.
    private func inline(_ text: String) -> String {
        var html = markdown.render(text, allowRawHTML: false).html.trimmingCharacters(in: .whitespacesAndNewlines)
        if html.hasPrefix("<p>"), html.hasSuffix("</p>"), html.components(separatedBy: "<p>").count == 2 {
            html = String(html.dropFirst(3).dropLast(4))
        }
        return html
    }
}

/// One row of an operation's errors table.
struct ErrorRow: Equatable {
    var status: String
    var code: String
    /// "API" for the operation's own answers, "Proxy" for connect-server's.
    var source: String
    var meaning: String
    var remedy: String
    var header: String?
}

extension OperationContext {
    /// The operation's 4xx and 5xx answers from its description, then, on a proxied
    /// operation, the answers connect-server gives itself (``ProxyAnswer``: the list the
    /// server answers from), by status.
    static func errors(of operation: APIOperation) -> [ErrorRow] {
        var rows: [ErrorRow] = operation.responses.filter { ($0.status.first ?? "0") >= "4" }.map { response in
            let code = response.exampleJSON.flatMap(errorCode(inExample:)) ?? ""
            return ErrorRow(status: response.status, code: code, source: "API", meaning: response.description,
                            remedy: ErrorCode(rawValue: code)?.remedy ?? "", header: nil)
        }
        if let route = ConnectRouteShape.route(of: operation) {
            for answer in ProxyAnswer.allCases where answer.applies(to: route) {
                rows.append(ErrorRow(status: String(answer.code.status), code: answer.code.rawValue, source: "Proxy",
                                     meaning: answer.meaning, remedy: answer.remedy, header: answer.header))
            }
        }
        return rows.enumerated().sorted { ($0.element.status, $0.offset) < ($1.element.status, $1.offset) }.map(\.element)
    }

    private static func errorCode(inExample json: String) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
              let error = object["error"] as? [String: Any] else { return nil }
        return error["code"] as? String
    }
}

/// Which documented paths the server's proxy forwards: the `/v1/connect/requirements` family.
enum ConnectRouteShape {
    /// The allow-listed route a documented operation is, its path parameters filled in.
    static func route(of operation: APIOperation) -> ConnectRoute? {
        var path = operation.path
        while let open = path.firstIndex(of: "{"), let close = path[open...].firstIndex(of: "}") {
            path.replaceSubrange(open...close, with: "00000000-0000-0000-0000-000000000000")
        }
        return ConnectRoute.match(method: operation.method.uppercased(), path: path)
    }

    static func isProxied(_ path: String) -> Bool {
        path == "/v1/connect/requirements" || path.hasPrefix("/v1/connect/requirements/")
    }
}

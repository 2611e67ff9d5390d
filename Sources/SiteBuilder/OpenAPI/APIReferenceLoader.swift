import ConnectAPI
import Foundation
import OpenAPIKit30
import Yams

/// Reads `content/openapi.yaml` with OpenAPIKit (which checks it and resolves `$ref`s) and
/// turns it into the `APIReference` the pages show.
enum APIReferenceLoader {
    static func load(yaml text: String, shownAs file: String) throws(BuildProblem) -> APIReference {
        let root = try YAMLFile.compose(text, shownAs: file).withLookupKeys()
        let document: DereferencedDocument
        do {
            // Yams keeps the order of paths, responses and properties (JSONDecoder would not).
            document = try YAMLDecoder().decode(OpenAPI.Document.self, from: root).locallyDereferenced()
        } catch {
            throw BuildProblem(file: file, "is not a valid OpenAPI 3.0 description: \(OpenAPI.Error(from: error).localizedDescription)")
        }
        let source = document.underlyingDocument
        var operations: [APIOperation] = []
        for (path, item) in document.paths {
            for endpoint in item.endpoints {
                let method = endpoint.method.rawValue.uppercased()
                let where_ = "\(method) \(path.rawValue)"
                let operation = endpoint.operation
                guard let operationID = operation.operationId else {
                    throw BuildProblem(file: file, line: root.line(of: ["paths", path.rawValue]), "\(where_) has no operationId")
                }
                let node = root["paths"]?[path.rawValue]?[endpoint.method.rawValue.lowercased()]
                operations.append(APIOperation(
                    operationID: operationID,
                    summary: operation.summary ?? operationID,
                    description: operation.description ?? "",
                    method: method,
                    path: path.rawValue,
                    tag: operation.tags?.first ?? "API",
                    server: server(operation.servers?.first ?? source.servers.first),
                    security: schemes(operation.security ?? document.security),
                    securityIsOptional: (operation.security ?? document.security).contains { $0.schemes.isEmpty },
                    pathParameters: parameters(operation.parameters + item.parameters, in: .path),
                    queryParameters: parameters(operation.parameters + item.parameters, in: .query),
                    requestBody: operation.requestBody.map { body(of: $0, example: node?["requestBody"]) },
                    responses: operation.responses.map { status, response in
                        responseOf(status: status.rawValue, response, example: node?["responses"]?[status.rawValue])
                    }
                ))
            }
        }
        let tags = (source.tags ?? []).map { APITag(name: $0.name, description: $0.description) }
        var reference = APIReference(title: source.info.title, version: source.info.version, description: source.info.description, tags: tags, operations: operations)
        reference.documentJSON = OpenAPIJSON.document(root)
        return reference
    }

    private static func server(_ server: OpenAPI.Server?) -> APIServer {
        guard let server else { return APIServer(url: "", description: nil) }
        var url = server.urlTemplate.rawValue
        for (name, variable) in server.variables {
            url = url.replacingOccurrences(of: "{\(name)}", with: variable.default)
        }
        return APIServer(url: url, description: server.description, template: server.urlTemplate.rawValue,
                         variables: server.variables.map { ($0.key, $0.value.default) })
    }

    private static func schemes(_ requirements: [DereferencedSecurityRequirement]) -> [APISecurityScheme] {
        requirements.flatMap { requirement in
            requirement.schemes.values.sorted { $0.name < $1.name }.map { scoped in
                let scheme = scoped.securityScheme
                var header = "Authorization: Bearer <token>"
                var location = "header"
                switch scheme.type {
                case .apiKey(let name, let place):
                    header = "\(name): <key>"
                    location = place.rawValue
                case .http(let kind, _):
                    header = "Authorization: \(kind.prefix(1).uppercased() + kind.dropFirst()) <token>"
                default:
                    break
                }
                return APISecurityScheme(name: scoped.name, description: scheme.description, header: header, location: location)
            }
        }
    }

    private static func parameters(_ parameters: [DereferencedParameter], in location: OpenAPI.Parameter.Context.Location) -> [APIField] {
        parameters.filter { $0.location == location }.map { parameter in
            guard case .a(let context) = parameter.schemaOrContent else {
                return APIField(name: parameter.name, type: "string", required: parameter.required,
                                description: parameter.description, example: nil, children: [])
            }
            var field = field(parameter.name, context.schema, required: parameter.required)
            field.description = parameter.description ?? field.description
            field.example = (context.example?.value).map { "\($0)" }
            return field
        }
    }

    private static func body(of request: DereferencedRequest, example node: Node?) -> APIBody {
        let (mediaType, content) = request.content.first.map { ($0.key.rawValue, $0.value) } ?? ("application/json", nil)
        return APIBody(mediaType: mediaType,
                       description: request.description ?? content?.schema?.description,
                       fields: content?.schema.map(fields(of:)) ?? [],
                       exampleJSON: node?["content"]?[mediaType]?["example"].map(OrderedJSON.pretty))
    }

    private static func responseOf(status: String, _ response: DereferencedResponse, example node: Node?) -> APIResponse {
        let first = response.content.first
        let mediaType = first?.key.rawValue
        return APIResponse(status: status, description: response.description, mediaType: mediaType,
                           fields: first?.value.schema.map(fields(of:)) ?? [],
                           exampleJSON: mediaType.flatMap { node?["content"]?[$0]?["example"] }.map(OrderedJSON.pretty))
    }

    /// The fields of an object schema, nested objects and arrays of objects included.
    static func fields(of schema: DereferencedJSONSchema) -> [APIField] {
        switch schema {
        case .object(_, let object):
            let required = Set(object.requiredProperties)
            return object.properties.map { name, property in field(name, property, required: required.contains(name)) }
        case .array(_, let array):
            return array.items.map(fields(of:)) ?? []
        default:
            return []
        }
    }

    /// One property, with what its schema says about its values and its alternatives.
    static func field(_ name: String, _ schema: DereferencedJSONSchema, required: Bool) -> APIField {
        var field = APIField(name: name, type: typeName(schema), required: required,
                             description: schema.description, example: nil, children: fields(of: schema))
        field.enumValues = SchemaFacts.enumValues(schema)
        field.facts = SchemaFacts.facts(schema).map { APIFact(label: $0.label, value: $0.value) }
        if let union = SchemaFacts.variants(schema) {
            field.discriminator = union.discriminator
            field.variants = union.choices.map { APIVariant(name: $0.name, type: typeName($0.schema), fields: fields(of: $0.schema)) }
        }
        return field
    }

    static func typeName(_ schema: DereferencedJSONSchema) -> String {
        switch schema {
        case .array(_, let array):
            return "array<\(array.items.map(typeName) ?? "any")>"
        case .one(let of, _), .any(let of, _):
            // Alternatives of one type are that type (their fields say the rest).
            let names = of.map(typeName)
            if let first = names.first, names.allSatisfy({ $0 == first }) { return first }
            if case .one = schema { return "one of " + names.joined(separator: " | ") }
            return "any of " + names.joined(separator: " | ")
        case .all:
            return "any"
        default:
            let base = schema.jsonType?.rawValue ?? "any"
            if let format = schema.formatString, !format.isEmpty { return "\(base)<\(format)>" }
            return base
        }
    }
}

extension Node {
    /// The tree with every mapping key rebuilt as Yams builds the keys it looks up.
    ///
    /// Yams finds a key by comparing nodes, tags included: a quoted `"200":` is a string
    /// while the lookup key `Node("200")` resolves to an integer, so OpenAPIKit could not
    /// find the response it had just listed.
    func withLookupKeys() -> Node {
        switch self {
        case .mapping(let mapping):
            let pairs = mapping.map { key, value in (key.string.map { Node($0) } ?? key, value.withLookupKeys()) }
            return .mapping(.init(pairs, mapping.tag, mapping.style, mapping.mark))
        case .sequence(let sequence):
            return .sequence(.init(sequence.map { $0.withLookupKeys() }, sequence.tag, sequence.style, sequence.mark))
        default:
            return self
        }
    }

    /// The line of the node at a path of mapping keys.
    func line(of path: [String]) -> Int? {
        var node: Node? = self
        for key in path { node = node?[key] }
        return node?.mark?.line
    }
}

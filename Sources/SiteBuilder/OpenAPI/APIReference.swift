import Foundation

/// The API reference as the pages show it, taken from `content/openapi.yaml`.
struct APIReference: Sendable {
    var title: String
    /// `info.version`, shown in the reference's header.
    var version: String
    var description: String?
    var tags: [APITag]
    /// In the order of the description's `paths`, which is the order of the reference.
    var operations: [APIOperation]
    /// The whole description as JSON (`/openapi.json`), from the tree parsed for the rest.
    var documentJSON = Data()
}

struct APITag: Sendable {
    var name: String
    var description: String?
    /// The anchor of the tag's group on the `/api/` index.
    var slug: String { HeadingSlugger.slug(name) }
}

struct APIOperation: Sendable {
    var operationID: String
    var summary: String
    /// Markdown.
    var description: String
    var method: String
    var path: String
    var tag: String
    var server: APIServer
    /// Each scheme the call can be authorized with; `isOptional` when none is also accepted.
    var security: [APISecurityScheme]
    var securityIsOptional: Bool
    var pathParameters: [APIField]
    var queryParameters: [APIField]
    var requestBody: APIBody?
    var responses: [APIResponse]

    var url: String { "/api/\(operationID)/" }
}

struct APIServer: Sendable {
    /// The URL with its variables at their defaults.
    var url: String
    var description: String?
    /// The URL as written, with its `{variables}`, e.g. `https://{app_hostname}`.
    var template = ""
    /// The variables, by name, with their defaults.
    var variables: [(name: String, defaultValue: String)] = []
}

struct APISecurityScheme: Sendable {
    var name: String
    /// Markdown.
    var description: String?
    /// e.g. `Authorization: Bearer <token>`.
    var header: String
    var location: String
}

/// A parameter or a body field, with the fields nested under it.
struct APIField: Sendable {
    var name: String
    var type: String
    var required: Bool
    var description: String?
    var example: String?
    var children: [APIField]
    /// `enum`: the only values allowed.
    var enumValues: [String] = []
    /// Default, nullable, bounds, pattern, example (``SchemaFacts``).
    var facts: [APIFact] = []
    /// `oneOf` / `anyOf`: the alternatives, and the property that tells them apart.
    var variants: [APIVariant] = []
    var discriminator: String?
}

struct APIFact: Sendable {
    var label: String
    var value: String
}

/// One alternative of a `oneOf` or `anyOf`.
struct APIVariant: Sendable {
    /// The discriminator's value for it, its title, or "Option 2".
    var name: String
    var type: String
    var fields: [APIField]
}

struct APIBody: Sendable {
    var mediaType: String
    var description: String?
    var fields: [APIField]
    /// The example, as pretty JSON in the key order of the description.
    var exampleJSON: String?
}

struct APIResponse: Sendable {
    var status: String
    var description: String
    var mediaType: String?
    var fields: [APIField]
    var exampleJSON: String?
}

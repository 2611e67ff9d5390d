/// The catalog of Dynamiq connection types and their fields, from
/// `content/connection-types.yaml`: the one source for the page's credential forms, the
/// docs, and the sandbox's validation.
public struct ConnectionTypeCatalog: Codable, Sendable, Equatable {
    public var types: [ConnectionType]
    /// The OAuth2 providers and linked-account apps by slug (`google`, `gmail`): what a
    /// person calls them and their logo, so that a new provider is a data change.
    public var providers: [String: Provider]?

    public init(types: [ConnectionType], providers: [String: Provider]? = nil) {
        self.types = types
        self.providers = providers
    }

    /// What a provider is called: the catalog's name, else its slug capitalised.
    public func providerName(_ slug: String) -> String {
        providers?[slug]?.name ?? slug.prefix(1).uppercased() + slug.dropFirst()
    }

    /// The type with this class name, e.g. `dynamiq.connections.HttpApiKey`.
    public func type(named name: String) -> ConnectionType? {
        types.first { $0.type == name }
    }
}

/// An OAuth2 provider or a linked-account app.
public struct Provider: Codable, Sendable, Equatable {
    public var name: String
    /// A path under `content/`, e.g. `images/providers/google.svg`.
    public var logo: String?
}

/// One connection type: either filled in through a form, or authorized through OAuth2.
public struct ConnectionType: Codable, Sendable, Equatable {
    /// The class name, e.g. `dynamiq.connections.HttpApiKey`.
    public var type: String
    /// What a person calls it, e.g. "HTTP API key".
    public var name: String
    /// How the end user grants it; `form` when absent.
    public var auth: ConnectionAuth?
    /// The OAuth2 provider (`google`, `github`, ...) when `auth` is `oauth2`.
    public var provider: String?
    /// The form's fields, in order; empty for OAuth2 types.
    public var fields: [ConnectionField]?

    public var isOAuth2: Bool { auth == .oauth2 }
}

public enum ConnectionAuth: String, Codable, Sendable {
    case form
    case oauth2
}

/// One field of a connection type's form.
public struct ConnectionField: Codable, Sendable, Equatable {
    public var name: String
    public var label: String
    public var help: String?
    public var type: ConnectionFieldType
    public var required: Bool?
    /// Masked in forms, encrypted at rest, never logged or returned.
    public var secret: Bool?
    /// Shown as the field's placeholder and used when the field is left empty.
    public var `default`: String?
    /// The allowed values of an `enum` field.
    public var `enum`: [String]?

    public var isRequired: Bool { required ?? false }
    public var isSecret: Bool { secret ?? false }

    enum CodingKeys: String, CodingKey {
        case name, label, help, type, required, secret, `default`, `enum`
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        label = try container.decode(String.self, forKey: .label)
        help = try container.decodeIfPresent(String.self, forKey: .help)
        type = try container.decode(ConnectionFieldType.self, forKey: .type)
        required = try container.decodeIfPresent(Bool.self, forKey: .required)
        secret = try container.decodeIfPresent(Bool.self, forKey: .secret)
        `enum` = try container.decodeIfPresent([String].self, forKey: .enum)
        // A default may be written as a number (`port: 5432`); forms want text.
        if let number = try? container.decodeIfPresent(Int.self, forKey: .default) {
            `default` = String(number)
        } else {
            `default` = try container.decodeIfPresent(String.self, forKey: .default)
        }
    }
}

/// The kind of value a field holds, which picks the form's input and the validation.
public enum ConnectionFieldType: String, Codable, Sendable {
    case string
    /// An `http` or `https` URL.
    case url
    case integer
    /// One of the field's `enum` values.
    case `enum`
    /// A map of names to strings (HTTP headers, query parameters, ...).
    case object
}
